import { useI18n } from "../../lib/i18n";
import type { MessageStatus } from "../../lib/types";

/** Delivery ticks: clock while pending, ✓ sent, ✓✓ delivered, blue ✓✓ read, ! failed. */
export function Ticks({ status }: { status: MessageStatus | "queued" | "sending" }) {
  const { t } = useI18n();
  const glyph = { queued: "🕓", sending: "🕓", pending: "🕓", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "!" }[status];
  return (
    <span className={`ticks ${status}`} role="img" aria-label={t(`tick.${status}`)} title={t(`tick.${status}`)}>
      {glyph}
    </span>
  );
}
