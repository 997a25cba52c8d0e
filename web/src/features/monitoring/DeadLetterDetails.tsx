import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { ErrorText } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { routeHref } from "../../lib/router";
import { historyQuery } from "../conversation/queries";
import { Ticks } from "../conversation/Ticks";
import type { DeadLetter } from "./types";

/** An outbound dead letter's message: its text, its delivery status and history, and a way to its conversation. */
function MessageStatus({ messageId }: { messageId: string }) {
  const { t, locale } = useI18n();
  const history = useQuery({ ...historyQuery(messageId), refetchInterval: 5_000 });
  if (history.isPending) return <p className="muted" aria-busy="true">{t("common.loading")}</p>;
  if (history.isError) return <ErrorText error={toAppError(history.error)} />;
  const { message } = history.data;
  return (
    <div className="stack">
      {message.body && <blockquote className="message-body">{message.body}</blockquote>}
      <p>
        {t("deadLetters.messageStatus")}: <strong>{t(`tick.${message.status}`)}</strong> <Ticks status={message.status} />
      </p>
      <ol className="history">
        {history.data.history.map((h, i) => (
          <li key={i}>
            {t(`tick.${h.status}`)} · <time dateTime={h.at}>{formatDateTime(h.at, locale)}</time>
          </li>
        ))}
      </ol>
      <a href={routeHref({ view: "inbox", conversationId: message.conversation_id })}>{t("deadLetters.openConversation")}</a>
    </div>
  );
}

export function DeadLetterDetails(
  { deadLetter: d, kindLabel, busy, onRetry, onDiscard, onClose }: {
    deadLetter: DeadLetter;
    kindLabel: string;
    busy: boolean;
    onRetry: () => void;
    onDiscard: () => void;
    onClose: () => void;
  },
) {
  const { t, locale } = useI18n();
  const active = !d.discarded_at;
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog drawer">
          <Dialog.Title>{t("deadLetters.detailsOf", { id: d.id })}</Dialog.Title>
          <Dialog.Description className="muted">{kindLabel} · {d.channel_name ?? "—"}</Dialog.Description>
          <dl className="facts">
            <dt>{t("deadLetters.enqueuedAt")}</dt>
            <dd>{formatDateTime(d.enqueued_at, locale)}</dd>
            <dt>{t("deadLetters.failedAt")}</dt>
            <dd>{formatDateTime(d.failed_at, locale)}</dd>
            <dt>{t("deadLetters.attempts")}</dt>
            <dd>{t("deadLetters.attemptsOf", { attempts: d.attempts, max: d.max_attempts })}</dd>
            {d.correlation_id && (
              <>
                <dt>{t("deadLetters.correlation")}</dt>
                <dd><code>{d.correlation_id}</code></dd>
              </>
            )}
          </dl>
          {d.discarded_at && (
            <p className="warning">
              {t("deadLetters.discardedOn", { at: formatDateTime(d.discarded_at, locale), reason: d.discard_reason ?? "" })}
            </p>
          )}
          {d.message_id && (
            <section aria-labelledby="dead-letter-message">
              <h3 id="dead-letter-message" className="drawer-title">{t("deadLetters.message")}</h3>
              <MessageStatus messageId={d.message_id} />
            </section>
          )}
          <section aria-labelledby="dead-letter-attempts">
            <h3 id="dead-letter-attempts" className="drawer-title">{t("deadLetters.attempts")}</h3>
            <ol className="attempts">
              {d.errors.map((a, i) => (
                <li key={i}>
                  <span className="muted small">
                    {t("deadLetters.attempt", { n: a.attempt })} · <time dateTime={a.at}>{formatDateTime(a.at, locale)}</time>
                  </span>
                  <code className="error-text">{a.error}</code>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="dead-letter-payload">
            <h3 id="dead-letter-payload" className="drawer-title">{t("deadLetters.payload")}</h3>
            <pre className="payload" tabIndex={0} aria-labelledby="dead-letter-payload">{JSON.stringify(d.payload, null, 2)}</pre>
          </section>
          <div className="dialog-actions">
            <Dialog.Close className="secondary">{t("common.close")}</Dialog.Close>
            {active && (
              <>
                <button type="button" className="secondary" disabled={busy} onClick={onDiscard}>{t("deadLetters.discard")}</button>
                <button type="button" className="primary" disabled={busy} onClick={onRetry}>{t("deadLetters.retry")}</button>
              </>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
