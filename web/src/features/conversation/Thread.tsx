// The messages of a conversation, virtualised: the newest page loads first and the view starts at the bottom;
// scrolling up loads older pages without the view jumping; new messages keep the view at the bottom when the
// agent was there. Rows have their own heights, measured as they render.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useLayoutEffect, useMemo, useRef } from "react";
import { ErrorText } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { formatDay } from "../../lib/format";
import { useNow } from "../../lib/use-now";
import { useI18n } from "../../lib/i18n";
import { flattenThread } from "../../sync/messages";
import { removeItem, retryRefused, waitingIn } from "../../sync/outbox";
import { dayOf, type ThreadRow, threadRows } from "../../sync/thread";
import { useMe } from "../auth/me";
import { type BubbleContext, MessageBubble, WaitingBubble } from "./MessageBubble";
import { useOutbox } from "./outbox-context";
import { useOutboxItems } from "./outbox-store";
import { messagesQuery } from "./queries";

const NEAR_BOTTOM_PX = 80;

export function Thread(
  { conversationId, authorOf, onReply, onShowHistory }: { conversationId: string } & Omit<BubbleContext, "findLoaded">,
) {
  const { t, locale } = useI18n();
  const me = useMe();
  const { store, sender } = useOutbox();
  const messages = useInfiniteQuery(messagesQuery(conversationId));
  const now = useNow(60_000);
  const stored = useMemo(() => flattenThread(messages.data), [messages.data]);
  const outbox = useOutboxItems(store);
  const rows = useMemo(() => threadRows(stored, waitingIn(outbox, conversationId, stored)), [stored, outbox, conversationId]);
  const byId = useMemo(() => new Map(stored.map((m) => [m.id, m])), [stored]);
  const bubbleCtx = useMemo<BubbleContext>(
    () => ({ authorOf, onReply, onShowHistory, findLoaded: (id) => byId.get(id) }),
    [authorOf, onReply, onShowHistory, byId],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === "day" ? 40 : 96),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 6,
  });

  // what the view looked like before this render's rows, to keep it steady when they change
  const before = useRef({ firstKey: "", lastKey: "", total: 0, scrollTop: 0, atBottom: true });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const prev = before.current;
    const firstKey = rows[0]?.key ?? "";
    const lastKey = rows[rows.length - 1]?.key ?? "";
    if (el && rows.length) {
      if (!prev.lastKey || (lastKey !== prev.lastKey && prev.atBottom)) {
        virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
      } else if (firstKey !== prev.firstKey && lastKey === prev.lastKey) {
        // older messages went in above: move down by what they added, so the same messages stay in view
        el.scrollTop = prev.scrollTop + (virtualizer.getTotalSize() - prev.total);
      }
    }
    before.current = { ...prev, firstKey, lastKey, total: virtualizer.getTotalSize() };
  }, [rows, virtualizer]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = messages;
  function onScroll() {
    const el = scrollRef.current;
    if (!el) return;
    before.current.scrollTop = el.scrollTop;
    before.current.total = virtualizer.getTotalSize();
    before.current.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (el.scrollTop < 400 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }

  if (messages.isPending) return <div className="thread"><p className="muted pad" aria-busy="true">{t("common.loading")}</p></div>;
  if (messages.isError) return <div className="thread pad"><ErrorText error={toAppError(messages.error)} /></div>;

  const today = dayOf(now);
  const yesterday = dayOf(now - 86_400_000);
  const dayLabel = (day: string) => (day === today ? t("day.today") : day === yesterday ? t("day.yesterday") : formatDay(day, locale));
  const renderRow = (row: ThreadRow) => {
    if (row.kind === "day") return <p className="day-heading"><span>{dayLabel(row.day)}</span></p>;
    if (row.kind === "message") return <MessageBubble message={row.message} ctx={bubbleCtx} />;
    const { client_id } = row.item;
    return (
      <WaitingBubble
        item={row.item}
        name={me.name}
        onRetry={() => {
          store.update((items) => retryRefused(items, client_id));
          sender.kick();
        }}
        onDiscard={() => store.update((items) => removeItem(items, client_id))}
      />
    );
  };

  return (
    <div className="thread-frame">
      {isFetchingNextPage && <p className="older-loading" aria-busy="true">{t("thread.loadingOlder")}</p>}
      <div ref={scrollRef} className="thread" onScroll={onScroll}>
        <div role="log" aria-label={t("thread.label")} style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="thread-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {renderRow(rows[item.index])}
            </div>
          ))}
        </div>
        {!rows.length && <p className="muted pad">{t("thread.empty")}</p>}
      </div>
    </div>
  );
}
