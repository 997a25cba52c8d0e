import { memo } from "react";
import { Avatar } from "../../components/Avatar";
import { contactName, formatListTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import type { Conversation, Member } from "../../lib/types";

/** One inbox row: contact, last message, time, unread count, assignee, channel. Memoised: rows re-render
 * only when their conversation changes, not on every scroll frame. */
export const ConversationRow = memo(function ConversationRow(
  { conversation: c, href, selected, assignee }: {
    conversation: Conversation;
    href: string;
    selected: boolean;
    assignee: Member | undefined;
  },
) {
  const { t, locale } = useI18n();
  const name = contactName(c.contact);
  const preview = c.last_message_preview ?? (c.last_message_type ? t(`messageType.${c.last_message_type}`) : t("inbox.noMessages"));
  return (
    <a className={`conversation-row ${selected ? "selected" : ""}`} href={href} aria-current={selected ? "page" : undefined}>
      <Avatar name={name} />
      <span className="row-main">
        <span className="row-top">
          <span className="row-name">{name}</span>
          {c.last_message_at && <time className="row-time" dateTime={c.last_message_at}>{formatListTime(c.last_message_at, locale)}</time>}
        </span>
        <span className="row-preview">
          {c.last_message_direction === "outbound" && <span className="muted">{t("inbox.you")} </span>}
          {preview}
        </span>
        <span className="row-bottom">
          <span className="tag">{c.channel?.name ?? "…"}</span>
          {c.status !== "open" && <span className={`tag status-${c.status}`}>{t(`status.${c.status}`)}</span>}
          <span className="row-spacer" />
          {c.unread_count > 0 && (
            <span className="unread" aria-label={t("inbox.unread", { count: c.unread_count })}>{c.unread_count}</span>
          )}
          {assignee
            ? (
              <span title={t("inbox.assignedTo", { name: assignee.display_name })}
                aria-label={t("inbox.assignedTo", { name: assignee.display_name })}>
                <Avatar name={assignee.display_name} size="sm" />
              </span>
            )
            : <span className="muted small">{t("inbox.unassigned")}</span>}
        </span>
      </span>
    </a>
  );
});
