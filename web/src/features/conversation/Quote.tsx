import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../../lib/i18n";
import type { Message } from "../../lib/types";
import { messageQuery } from "./queries";

/** The message a reply answers: from the loaded thread, or fetched when it is further back. */
export function Quote({ id, loaded, authorOf }: { id: string; loaded: Message | undefined; authorOf: (m: Message) => string }) {
  const { t } = useI18n();
  const { data } = useQuery({ ...messageQuery(id), enabled: !loaded });
  const quoted = loaded ?? data;
  const text = quoted ? (quoted.deleted_at ? t("message.deleted") : quoted.body ?? quoted.media?.caption ?? quoted.media?.file_name ?? t(`messageType.${quoted.type}`)) : "…";
  return (
    <blockquote className="quote" aria-label={t("message.quoteOf", { name: quoted ? authorOf(quoted) : "…" })}>
      <strong>{quoted ? authorOf(quoted) : "…"}</strong>
      <span>{text}</span>
    </blockquote>
  );
}
