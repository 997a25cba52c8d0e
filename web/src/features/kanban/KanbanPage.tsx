// The same conversations as the inbox, as a board: columns by status (managers may also lay them out by
// department). Dragging a card to another column changes its status (or transfers it to that department);
// each card also has a "move to" select for the keyboard. Each column is its own paged, virtualised list.
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { type DragEvent, useMemo, useState } from "react";
import { describeError } from "../../components/ErrorText";
import { useToast } from "../../components/Toaster";
import { VirtualRows } from "../../components/VirtualRows";
import { toAppError } from "../../lib/errors";
import { contactName, formatListTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { navigate } from "../../lib/router";
import type { Conversation, ConversationStatus } from "../../lib/types";
import { flattenList, type InboxFilter } from "../../sync/conversations";
import { useMe } from "../auth/me";
import { setConversationStatus, transferConversation } from "../conversation/commands";
import { ConversationView } from "../conversation/ConversationView";
import { inboxListQuery } from "../inbox/queries";
import { departmentsQuery, membersQuery } from "../team/queries";

const statuses: ConversationStatus[] = ["pending", "open", "closed"];
const dragType = "application/x-atende-conversation";

interface Column {
  id: string;
  title: string;
  filter: InboxFilter;
}

export default function KanbanPage({ filter, conversationId }: { filter: InboxFilter; conversationId: string | null }) {
  const { t } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [layout, setLayout] = useState<"status" | "department">("status");
  const { data: departments = [] } = useQuery({ ...departmentsQuery(me.tenantId), enabled: me.isManager });

  const columns: Column[] = layout === "status"
    ? statuses.map((s) => ({ id: s, title: t(`status.${s}`), filter: { ...filter, statuses: [s] } }))
    : departments.map((d) => ({
      id: d.id,
      title: d.name,
      filter: { ...filter, view: "department", departmentId: d.id, agentId: null },
    }));

  async function move(conversation: string, to: string) {
    try {
      if (layout === "status") await setConversationStatus(queryClient, conversation, to as ConversationStatus);
      else await transferConversation(queryClient, conversation, { department_id: to });
    } catch (e) {
      notify({ title: t("kanban.moveFailed"), description: describeError(t, toAppError(e)), tone: "error" });
    }
  }

  return (
    <div className={`kanban-page ${conversationId ? "with-conversation" : ""}`}>
      <div className="kanban-main">
        <p className="muted small kanban-scope">{t("kanban.scope", { view: t(`inbox.view.${filter.view}`) })}</p>
        {me.isManager && (
          <label className="inline-label kanban-layout">
            {t("kanban.layout")}
            <select aria-label={t("kanban.layout")} value={layout} onChange={(e) => setLayout(e.target.value as "status" | "department")}>
              <option value="status">{t("kanban.byStatus")}</option>
              <option value="department">{t("kanban.byDepartment")}</option>
            </select>
          </label>
        )}
        <div className="kanban" role="group" aria-label={t("kanban.label")}>
          {columns.map((column) => (
            <KanbanColumn key={column.id} column={column} columns={columns} onMove={move} selected={conversationId} />
          ))}
        </div>
      </div>
      {conversationId && <ConversationView key={conversationId} conversationId={conversationId} />}
    </div>
  );
}

function KanbanColumn(
  { column, columns, onMove, selected }: {
    column: Column;
    columns: Column[];
    onMove: (conversation: string, to: string) => void;
    selected: string | null;
  },
) {
  const { t, locale } = useI18n();
  const me = useMe();
  const list = useInfiniteQuery(inboxListQuery(me.tenantId, me.userId, column.filter));
  const { data: members = [] } = useQuery(membersQuery(me.tenantId));
  const rows = useMemo(() => flattenList(list.data), [list.data]);
  const [over, setOver] = useState(false);
  const { fetchNextPage } = list;
  const loadMore = useMemo(() => () => void fetchNextPage(), [fetchNextPage]);

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    const id = event.dataTransfer.getData(dragType) || event.dataTransfer.getData("text/plain");
    if (id && !rows.some((c) => c.id === id)) onMove(id, column.id);
  }

  const card = (c: Conversation) => (
    <div
      className={`kanban-card ${selected === c.id ? "selected" : ""}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(dragType, c.id);
        e.dataTransfer.setData("text/plain", c.id);
        e.dataTransfer.effectAllowed = "move";
      }}
    >
      <button type="button" className="card-open" onClick={() => navigate({ view: "kanban", conversationId: c.id })}>
        <span className="row-top">
          <span className="row-name">{contactName(c.contact)}</span>
          {c.last_message_at && <time className="row-time">{formatListTime(c.last_message_at, locale)}</time>}
        </span>
        <span className="row-preview">{c.last_message_preview ?? ""}</span>
      </button>
      <span className="row-bottom">
        {c.unread_count > 0 && <span className="unread" aria-label={t("inbox.unread", { count: c.unread_count })}>{c.unread_count}</span>}
        <span className="muted small">{members.find((m) => m.user_id === c.assignee_id)?.display_name ?? t("inbox.unassigned")}</span>
        <span className="row-spacer" />
        <select
          aria-label={t("kanban.moveTo", { name: contactName(c.contact) })}
          value={column.id}
          onChange={(e) => onMove(c.id, e.target.value)}
          className="small"
        >
          {columns.map((col) => <option key={col.id} value={col.id}>{col.title}</option>)}
        </select>
      </span>
    </div>
  );

  return (
    <section
      className={`kanban-column ${over ? "drop-target" : ""}`}
      aria-label={column.title}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = "move";
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <h2 className="section-title">{column.title}</h2>
      {list.isPending
        ? <p className="muted pad" aria-busy="true">{t("common.loading")}</p>
        : (
          <VirtualRows
            rows={rows}
            rowHeight={112}
            rowKey={(c) => c.id}
            hasMore={list.hasNextPage}
            loadingMore={list.isFetchingNextPage}
            loadMore={loadMore}
            label={column.title}
            loadingLabel={t("common.loading")}
            renderRow={card}
          />
        )}
    </section>
  );
}
