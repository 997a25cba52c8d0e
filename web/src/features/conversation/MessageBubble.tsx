// One message: author, quote, content, reactions, edited/deleted marks, time and delivery ticks; a failed
// send says why and offers a retry.
import { useQueryClient } from "@tanstack/react-query";
import { memo, useState } from "react";
import { describeError } from "../../components/ErrorText";
import { useToast } from "../../components/Toaster";
import { toAppError } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import type { Message } from "../../lib/types";
import type { OutboxItem } from "../../sync/outbox";
import { retryMessage } from "./commands";
import { MessageContent } from "./MessageContent";
import { Quote } from "./Quote";
import { Ticks } from "./Ticks";

export interface BubbleContext {
  authorOf: (m: Message) => string;
  findLoaded: (id: string) => Message | undefined;
  onReply: (m: Message) => void;
  onShowHistory: (id: string) => void;
}

function failureReason(m: Message): string | null {
  const e = m.error;
  if (!e) return null;
  return [e.title ?? e.message, e.detail, e.code !== undefined ? `(${e.code})` : null].filter(Boolean).join(" ");
}

/** Memoised: a bubble re-renders when its message or the thread's context changes, not on every scroll frame. */
export const MessageBubble = memo(function MessageBubble({ message: m, ctx }: { message: Message; ctx: BubbleContext }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [retrying, setRetrying] = useState(false);
  const outbound = m.direction === "outbound";
  const reactions = Object.values(m.reactions ?? {});

  async function retry() {
    setRetrying(true);
    try {
      await retryMessage(queryClient, m.id);
    } catch (e) {
      notify({ title: t("message.retryFailed"), description: describeError(t, toAppError(e)), tone: "error" });
    } finally {
      setRetrying(false);
    }
  }

  return (
    <article className={`bubble ${outbound ? "outbound" : "inbound"}`} aria-label={t("message.from", { name: ctx.authorOf(m) })}>
      <header className="bubble-author">{ctx.authorOf(m)}</header>
      {m.reply_to_message_id && (
        <Quote id={m.reply_to_message_id} loaded={ctx.findLoaded(m.reply_to_message_id)} authorOf={ctx.authorOf} />
      )}
      <MessageContent message={m} />
      {reactions.length > 0 && (
        <p className="reactions" aria-label={t("message.reactions", { list: reactions.join(" ") })}>
          {reactions.map((r, i) => <span key={i}>{r}</span>)}
        </p>
      )}
      <footer className="bubble-footer">
        {m.edited_at && !m.deleted_at && <span className="muted">{t("message.edited")}</span>}
        <time dateTime={m.occurred_at}>{formatTime(m.occurred_at, locale)}</time>
        {outbound && (
          <button type="button" className="link-button" onClick={() => ctx.onShowHistory(m.id)} aria-label={t("history.open")}>
            <Ticks status={m.status} />
          </button>
        )}
        {!m.deleted_at && (
          <button type="button" className="link-button" onClick={() => ctx.onReply(m)}>{t("message.reply")}</button>
        )}
      </footer>
      {m.status === "failed" && (
        <div className="failure" role="alert">
          <span>{t("message.failed")}{failureReason(m) ? `: ${failureReason(m)}` : ""}</span>
          <button type="button" className="secondary small" onClick={retry} disabled={retrying}>{t("message.retry")}</button>
        </div>
      )}
    </article>
  );
});

/** A message typed here that the server has not stored yet: waiting, sending, or refused with the reason. */
export function WaitingBubble(
  { item, name, onRetry, onDiscard }: { item: OutboxItem; name: string; onRetry: () => void; onDiscard: () => void },
) {
  const { t, locale } = useI18n();
  return (
    <article className="bubble outbound waiting" aria-label={t("message.from", { name })}>
      <header className="bubble-author">{name}</header>
      <p className="body">{item.body}</p>
      <footer className="bubble-footer">
        <time dateTime={new Date(item.queued_at).toISOString()}>{formatTime(item.queued_at, locale)}</time>
        <Ticks status={item.state === "refused" ? "failed" : item.state} />
      </footer>
      {item.state === "refused" && item.error && (
        <div className="failure" role="alert">
          <span>{t("message.refused")}: {describeError(t, { status: 400, ...item.error })}</span>
          <span className="actions">
            <button type="button" className="secondary small" onClick={onRetry}>{t("message.retry")}</button>
            <button type="button" className="secondary small" onClick={onDiscard}>{t("message.discard")}</button>
          </span>
        </div>
      )}
    </article>
  );
}
