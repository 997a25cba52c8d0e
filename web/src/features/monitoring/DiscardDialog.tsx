import * as Dialog from "@radix-ui/react-dialog";
import { useState } from "react";
import { ErrorText } from "../../components/ErrorText";
import type { AppError } from "../../lib/errors";
import { useI18n } from "../../lib/i18n";

/** Discarding needs a reason: it is kept with the dead letters and in the tenant's event log. */
export function DiscardDialog(
  { count, busy, error, onDiscard, onClose }: {
    count: number;
    busy: boolean;
    error: AppError | null;
    onDiscard: (reason: string) => void;
    onClose: () => void;
  },
) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{t("deadLetters.discardTitle", { count })}</Dialog.Title>
          <Dialog.Description className="muted">{t("deadLetters.discardDescription")}</Dialog.Description>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (reason.trim()) onDiscard(reason.trim());
            }}
          >
            <label>
              {t("deadLetters.reason")}
              <textarea
                required
                maxLength={500}
                rows={3}
                value={reason}
                placeholder={t("deadLetters.reasonPlaceholder")}
                onChange={(e) => setReason(e.target.value)}
              />
            </label>
            {error && <ErrorText error={error} />}
            <div className="dialog-actions">
              <Dialog.Close type="button" className="secondary">{t("common.cancel")}</Dialog.Close>
              <button type="submit" className="primary danger" disabled={busy || !reason.trim()}>
                {t("deadLetters.discard")}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
