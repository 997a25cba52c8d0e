import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { ErrorText } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { historyQuery } from "./queries";

/** A message's delivery history (`GET messages/<id>`), opened from its ticks. */
export function HistoryDialog({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const { t, locale } = useI18n();
  const history = useQuery(historyQuery(messageId));
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{t("history.title")}</Dialog.Title>
          <Dialog.Description className="muted">{t("history.description")}</Dialog.Description>
          {history.isPending && <p aria-busy="true">{t("common.loading")}</p>}
          {history.isError && <ErrorText error={toAppError(history.error)} />}
          {history.data && (
            <ol className="history">
              {history.data.history.map((h, i) => (
                <li key={i}>
                  <strong>{t(`tick.${h.status}`)}</strong> <time dateTime={h.at}>{formatDateTime(h.at, locale)}</time>
                  {h.error ? <span className="error-text"> {JSON.stringify(h.error)}</span> : null}
                </li>
              ))}
            </ol>
          )}
          <Dialog.Close className="secondary">{t("common.close")}</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
