import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { VirtualRows } from "../../components/VirtualRows";
import { ErrorText } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { useI18n } from "../../lib/i18n";
import { routeHref, type Route } from "../../lib/router";
import { flattenList, type InboxFilter } from "../../sync/conversations";
import { useMe } from "../auth/me";
import { membersQuery } from "../team/queries";
import { ConversationRow } from "./ConversationRow";
import { inboxListQuery } from "./queries";

export function ConversationList({ filter, route }: { filter: InboxFilter; route: Route }) {
  const { t } = useI18n();
  const me = useMe();
  const list = useInfiniteQuery(inboxListQuery(me.tenantId, me.userId, filter));
  const { data: members = [] } = useQuery(membersQuery(me.tenantId));
  const byId = useMemo(() => new Map(members.map((m) => [m.user_id, m])), [members]);
  const rows = useMemo(() => flattenList(list.data), [list.data]);
  const { fetchNextPage } = list;
  const loadMore = useMemo(() => () => void fetchNextPage(), [fetchNextPage]);

  if (list.isPending) return <p className="muted pad" aria-busy="true">{t("common.loading")}</p>;
  if (list.isError) return <div className="pad"><ErrorText error={toAppError(list.error)} /></div>;
  if (!rows.length) return <p className="muted pad">{t("inbox.empty")}</p>;
  return (
    <VirtualRows
      rows={rows}
      rowHeight={84}
      rowKey={(c) => c.id}
      hasMore={list.hasNextPage}
      loadingMore={list.isFetchingNextPage}
      loadMore={loadMore}
      label={t("inbox.listLabel")}
      loadingLabel={t("common.loading")}
      renderRow={(c) => (
        <ConversationRow
          conversation={c}
          href={routeHref({ view: route.view, conversationId: c.id })}
          selected={route.conversationId === c.id}
          assignee={c.assignee_id ? byId.get(c.assignee_id) : undefined}
        />
      )}
    />
  );
}
