// An open conversation: who and where, the commands (take, transfer, close, reopen), the thread, who else is
// typing, and the reply box. Opening it marks it read.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { ErrorText, describeError } from "../../components/ErrorText";
import { useToast } from "../../components/Toaster";
import { type AppError, toAppError } from "../../lib/errors";
import { contactName, formatPhone } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import type { Message } from "../../lib/types";
import { useMe } from "../auth/me";
import { membersQuery } from "../team/queries";
import { assignConversation, closeConversation, markRead, reopenConversation } from "./commands";
import { HistoryDialog } from "./HistoryDialog";
import { conversationQuery } from "./queries";
import { ReplyBox } from "./ReplyBox";
import { Thread } from "./Thread";
import { TransferDialog } from "./TransferDialog";
import { useConversationTopic } from "./useConversationTopic";

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const notify = useToast();
  const conversation = useQuery(conversationQuery(conversationId));
  const { data: members = [] } = useQuery(membersQuery(me.tenantId));
  const { typers, keystroke, sent } = useConversationTopic(conversationId, me);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [transferring, setTransferring] = useState(false);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [commandError, setCommandError] = useState<AppError | null>(null);
  const c = conversation.data;
  const unread = (c?.unread_count ?? 0) > 0;

  // read when the agent can see it: now, or when they come back to this tab
  useEffect(() => {
    if (!unread) return;
    const read = () => {
      if (document.visibilityState === "visible") markRead(queryClient, conversationId).catch(() => undefined);
    };
    read();
    document.addEventListener("visibilitychange", read);
    return () => document.removeEventListener("visibilitychange", read);
  }, [queryClient, conversationId, unread]);

  const memberName = useCallback((id: string | null) => members.find((m) => m.user_id === id)?.display_name, [members]);
  const authorOf = useCallback((m: Message) => {
    if (m.direction === "inbound") return m.author_name ?? contactName(c?.contact);
    return (m.sender_id && memberName(m.sender_id)) || t("message.automatic");
  }, [c?.contact, memberName, t]);

  if (conversation.isPending) return <section className="conversation pad" aria-busy="true">{t("common.loading")}</section>;
  if (conversation.isError) return <section className="conversation pad"><ErrorText error={toAppError(conversation.error)} /></section>;
  if (!c) return <section className="conversation pad"><p>{t("conversation.notFound")}</p></section>;

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setConflict(null);
    setCommandError(null);
    try {
      await action();
    } catch (e) {
      const error = toAppError(e);
      if (error.code === "already_assigned") {
        const winner = memberName((error.details?.assignee_id as string | undefined) ?? null) ?? t("conversation.someoneElse");
        setConflict(t("conversation.alreadyAssigned", { name: winner }));
      } else if (error.status >= 500 || error.status === 0) {
        notify({ title: t("conversation.commandFailed"), description: describeError(t, error), tone: "error" });
      } else setCommandError(error);
    } finally {
      setBusy(false);
    }
  }

  const name = contactName(c.contact);
  const assignee = memberName(c.assignee_id);
  const canTake = c.status !== "closed" && c.assignee_id !== me.userId && (c.assignee_id === null || me.isManager);

  return (
    <section className="conversation" aria-label={t("conversation.label", { name })}>
      <header className="conversation-header">
        <div className="who">
          <h2>{name}</h2>
          <p className="muted small">
            {c.contact?.phone ? formatPhone(c.contact.phone) : null} · {c.channel?.name} ·{" "}
            <span className={`tag status-${c.status}`}>{t(`status.${c.status}`)}</span> ·{" "}
            {assignee ? t("inbox.assignedTo", { name: assignee }) : t("inbox.unassigned")}
          </p>
        </div>
        <div className="actions">
          {canTake && (
            <button type="button" className="primary" disabled={busy} onClick={() => run(() => assignConversation(queryClient, c.id))}>
              {t("conversation.take")}
            </button>
          )}
          {c.status !== "closed" && (
            <button type="button" className="secondary" disabled={busy} onClick={() => setTransferring(true)}>
              {t("conversation.transfer")}
            </button>
          )}
          {c.status !== "closed"
            ? <button type="button" className="secondary" disabled={busy} onClick={() => run(() => closeConversation(queryClient, c.id))}>{t("conversation.close")}</button>
            : <button type="button" className="secondary" disabled={busy} onClick={() => run(() => reopenConversation(queryClient, c.id))}>{t("conversation.reopen")}</button>}
        </div>
      </header>
      {conflict && <p role="alert" className="conflict">{conflict}</p>}
      {commandError && <ErrorText error={commandError} />}
      <Thread
        key={conversationId}
        conversationId={conversationId}
        authorOf={authorOf}
        onReply={setReplyTo}
        onShowHistory={setHistoryOf}
      />
      <p className="typing" aria-live="polite">
        {typers.length === 1 && t("typing.one", { name: typers[0] })}
        {typers.length > 1 && t("typing.many", { names: typers.join(", ") })}
      </p>
      <ReplyBox
        key={`reply-${conversationId}`}
        conversation={c}
        replyTo={replyTo}
        replyToAuthor={replyTo ? authorOf(replyTo) : ""}
        onCancelReply={() => setReplyTo(null)}
        onKeystroke={keystroke}
        onSent={sent}
      />
      {transferring && <TransferDialog conversation={c} onClose={() => setTransferring(false)} />}
      {historyOf && <HistoryDialog messageId={historyOf} onClose={() => setHistoryOf(null)} />}
    </section>
  );
}
