// The reply box: Enter sends, Shift+Enter breaks the line. A sent message goes to the outbox and shows at once;
// the sender takes it from there, in order, whether the network is up or not.
import { type KeyboardEvent, useState } from "react";
import { useI18n } from "../../lib/i18n";
import type { Conversation, Message } from "../../lib/types";
import { useNow } from "../../lib/use-now";
import { uuidv4 } from "../../lib/uuid";
import { enqueue } from "../../sync/outbox";
import { useOutbox } from "./outbox-context";

export function ReplyBox(
  { conversation, replyTo, replyToAuthor, onCancelReply, onKeystroke, onSent }: {
    conversation: Conversation;
    replyTo: Message | null;
    replyToAuthor: string;
    onCancelReply: () => void;
    onKeystroke: () => void;
    onSent: () => void;
  },
) {
  const { t } = useI18n();
  const { store, sender } = useOutbox();
  const [text, setText] = useState("");
  const closed = conversation.status === "closed";
  const now = useNow(30_000);
  const windowClosed = conversation.window_expires_at !== null && Date.parse(conversation.window_expires_at) < now;

  function send() {
    const body = text.trim();
    if (!body || closed) return;
    store.update((items) =>
      enqueue(items, {
        client_id: uuidv4(),
        conversation_id: conversation.id,
        body,
        reply_to_message_id: replyTo?.id ?? null,
        queued_at: Date.now(),
        state: "queued",
      })
    );
    sender.kick();
    setText("");
    onSent();
    onCancelReply();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form
      className="reply-box"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {windowClosed && !closed && <p className="warning" role="note">{t("reply.windowClosed")}</p>}
      {replyTo && (
        <div className="replying">
          <span>
            {t("reply.replyingTo", { name: replyToAuthor })}: <em>{replyTo.body ?? t(`messageType.${replyTo.type}`)}</em>
          </span>
          <button type="button" className="link-button" onClick={onCancelReply}>{t("reply.cancelReply")}</button>
        </div>
      )}
      <div className="reply-row">
        <textarea
          aria-label={t("reply.label")}
          placeholder={closed ? t("reply.closed") : t("reply.placeholder")}
          value={text}
          disabled={closed}
          rows={2}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value) onKeystroke();
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="primary" disabled={closed || !text.trim()}>{t("reply.send")}</button>
      </div>
    </form>
  );
}
