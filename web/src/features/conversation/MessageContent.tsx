// What a message says, by type: text, media with type, caption and file name (images as previews where a URL
// exists), location, shared contacts, and a clear placeholder for what the console cannot show.
import { formatBytes } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import type { Message } from "../../lib/types";

const mediaTypes = new Set(["image", "audio", "video", "document", "sticker"]);

export function MessageContent({ message: m }: { message: Message }) {
  const { t } = useI18n();
  if (m.deleted_at) return <p className="deleted">{t("message.deleted")}</p>;
  if (mediaTypes.has(m.type)) {
    const media = m.media ?? {};
    const url = media.url;
    return (
      <div className="media">
        {url && (m.type === "image" || m.type === "sticker") && (
          <img src={url} alt={media.caption ?? media.file_name ?? t(`messageType.${m.type}`)} loading="lazy" />
        )}
        {url && m.type === "audio" && <audio controls src={url} aria-label={t("messageType.audio")} />}
        {url && m.type === "video" && <video controls src={url} aria-label={t("messageType.video")} />}
        <p className="media-meta">
          <span className="tag">{t(`messageType.${m.type}`)}</span>
          {media.file_name && (url ? <a href={url} target="_blank" rel="noreferrer">{media.file_name}</a> : <span>{media.file_name}</span>)}
          {media.size_bytes ? <span className="muted">{formatBytes(media.size_bytes)}</span> : null}
          {media.mime_type && <span className="muted">{media.mime_type}</span>}
        </p>
        {media.caption && <p className="body">{media.caption}</p>}
        {!media.caption && m.body && <p className="body">{m.body}</p>}
      </div>
    );
  }
  if (m.type === "location") {
    const l = m.location ?? {};
    return (
      <p className="body">
        <span className="tag">{t("messageType.location")}</span> {[l.name, l.address].filter(Boolean).join(" · ")}
        {l.latitude !== undefined && l.longitude !== undefined && <span className="muted"> ({l.latitude}, {l.longitude})</span>}
      </p>
    );
  }
  if (m.type === "unsupported") {
    return <p className="unsupported" role="note">{t("message.unsupported")}</p>;
  }
  return (
    <div>
      {m.type !== "text" && <span className="tag">{t(`messageType.${m.type}`)}</span>}
      <p className="body">{m.body ?? ""}</p>
    </div>
  );
}
