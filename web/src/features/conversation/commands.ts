// The agent's commands on a conversation, through the `conversations` function. Each answer's row goes into
// the cache at once (the broadcast of the same change merges with it by version).
import type { QueryClient } from "@tanstack/react-query";
import { callFunction } from "../../lib/functions";
import type { Conversation, ConversationStatus, Message } from "../../lib/types";
import { patchInList, type ListPages } from "../../sync/conversations";
import { type ThreadPages, upsertMessage } from "../../sync/messages";
import { applyConversation } from "../../realtime/actions";
import { inboxKeys } from "../inbox/queries";
import { conversationKeys } from "./queries";

/** Conversations this console just assigned or transferred: their personal notices are not news to us. */
const ownActions = new Map<string, number>();
const OWN_ACTION_MS = 15_000;

export function isOwnRecentAction(conversationId: string, now = Date.now()): boolean {
  const at = ownActions.get(conversationId);
  return at !== undefined && now - at < OWN_ACTION_MS;
}

async function command(queryClient: QueryClient, id: string, action: string, body?: Record<string, unknown>) {
  ownActions.set(id, Date.now());
  const { conversation } = await callFunction<{ conversation: Conversation }>(`conversations/${id}/${action}`, { body });
  if (conversation) await applyConversation(queryClient, conversation);
  return conversation;
}

export const assignConversation = (qc: QueryClient, id: string, assigneeId?: string) =>
  command(qc, id, "assign", assigneeId ? { assignee_id: assigneeId } : {});

export const transferConversation = (
  qc: QueryClient,
  id: string,
  to: { assignee_id?: string; department_id?: string; note?: string },
) => command(qc, id, "transfer", to);

export const closeConversation = (qc: QueryClient, id: string) => command(qc, id, "close");
export const reopenConversation = (qc: QueryClient, id: string) => command(qc, id, "reopen");

export async function setConversationStatus(qc: QueryClient, id: string, status: ConversationStatus) {
  ownActions.set(id, Date.now());
  const { conversation } = await callFunction<{ conversation: Conversation }>(`conversations/${id}`, {
    method: "PATCH",
    body: { status },
  });
  if (conversation) await applyConversation(qc, conversation);
  return conversation;
}

/** Opening a conversation reads it: unread clears here at once, and everywhere through the broadcast. */
export async function markRead(qc: QueryClient, id: string) {
  qc.setQueriesData<ListPages>({ queryKey: inboxKeys.lists() }, (data) => data && patchInList(data, id, { unread_count: 0 }));
  qc.setQueryData<Conversation | null>(conversationKeys.detail(id), (c) => (c ? { ...c, unread_count: 0 } : c));
  const answer = await callFunction<{ conversation?: Conversation }>(`conversations/${id}/read`);
  if (answer?.conversation) await applyConversation(qc, answer.conversation);
}

export async function retryMessage(qc: QueryClient, messageId: string) {
  const { message } = await callFunction<{ message: Message }>(`messages/${messageId}/retry`);
  if (message) {
    qc.setQueryData<ThreadPages>(conversationKeys.messages(message.conversation_id), (d) => d && upsertMessage(d, message));
  }
}
