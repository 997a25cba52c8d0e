// The one table from event name to cache action. Message events patch the thread cache by id and seq; every
// conversation event patches the row wherever a list or the detail holds it (each new message updates its
// conversation, and invalidating paged lists of thousands of rows that often would re-page them all); channel
// and dead-letter, channel and member events invalidate (the managers' figures and the admins' pages too). Every
// action is idempotent and order-independent, so broadcasts and catch-up can overlap.
import type { QueryClient } from "@tanstack/react-query";
import type { ChangeEvent, Conversation, EventType, Message } from "../lib/types";
import { applyToList, findConversation, type ListPages, matchesFilter, mergeConversation } from "../sync/conversations";
import { hasSeqGap, mergeMessage, newestSeq, type ThreadPages, upsertMessage } from "../sync/messages";
import { conversationKeys, fetchConversation } from "../features/conversation/queries";
import { inboxKeys, listKeyParts, PAGE_SIZE } from "../features/inbox/queries";
import { refreshMonitoring } from "../features/monitoring/queries";
import { teamKeys } from "../features/team/queries";
import { settingsKeys } from "../features/settings/queries";

export interface ApplyContext {
  queryClient: QueryClient;
  tenantId: string;
  /** A thread received a message past its newest seq + 1: fetch what it missed. */
  onMissedMessages: (conversationId: string) => void;
}

type Action = (ctx: ApplyContext, event: ChangeEvent) => void | Promise<void>;

const applyMessage: Action = ({ queryClient, onMissedMessages }, event) => {
  const message = event.record as unknown as Message;
  const key = conversationKeys.messages(message.conversation_id);
  const thread = queryClient.getQueryData<ThreadPages>(key);
  if (thread) {
    if (hasSeqGap(newestSeq(thread), message.seq)) onMissedMessages(message.conversation_id);
    queryClient.setQueryData<ThreadPages>(key, upsertMessage(thread, message));
  }
  queryClient.setQueryData<Message | null>(conversationKeys.message(message.id), (m) => (m ? mergeMessage(m, message) : m));
};

/** Puts a conversation row into the detail and every list it belongs to, fetching its contact if none is known. */
export async function applyConversation(queryClient: QueryClient, row: Conversation) {
  const lists = queryClient.getQueriesData<ListPages>({ queryKey: inboxKeys.lists() });
  const belongsTo = (key: readonly unknown[]) => {
    const { me, filter } = listKeyParts(key);
    return (c: Conversation) => matchesFilter(c, filter, me);
  };
  const known = queryClient.getQueryData<Conversation | null>(conversationKeys.detail(row.id)) ??
    lists.map(([, data]) => findConversation(data, row.id)).find((c) => c?.contact);
  let full = known ? mergeConversation(known, row) : row;
  const wanted = lists.some(([key, data]) => data && belongsTo(key)(full));
  if (!full.contact && wanted) {
    const fetched = await fetchConversation(row.id);
    if (fetched) full = mergeConversation(fetched, row);
  }
  queryClient.setQueryData<Conversation | null>(conversationKeys.detail(row.id), (d) => (d ? mergeConversation(d, full) : d));
  for (const [key, data] of queryClient.getQueriesData<ListPages>({ queryKey: inboxKeys.lists() })) {
    if (!data) continue;
    const complete = (data.pages[data.pages.length - 1]?.length ?? 0) < PAGE_SIZE;
    const next = applyToList(data, full, belongsTo(key), complete);
    if (next !== data) queryClient.setQueryData(key, next);
  }
}

const conversationAction: Action = ({ queryClient }, event) =>
  applyConversation(queryClient, event.record as unknown as Conversation);

const channelAction: Action = async ({ queryClient, tenantId }) => {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: teamKeys.channels(tenantId) }),
    queryClient.invalidateQueries({ queryKey: settingsKeys.channels(tenantId) }),
    refreshMonitoring(queryClient, tenantId),
  ]);
};

const deadLetterAction: Action = ({ queryClient, tenantId }) => refreshMonitoring(queryClient, tenantId);

const memberAction: Action = async ({ queryClient, tenantId }) => {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: teamKeys.members(tenantId) }),
    queryClient.invalidateQueries({ queryKey: teamKeys.departmentMembers(tenantId) }),
    queryClient.invalidateQueries({ queryKey: settingsKeys.members(tenantId) }),
  ]);
};

export const eventActions: Record<EventType, Action> = {
  "conversation.created": conversationAction,
  "conversation.updated": conversationAction,
  "conversation.assigned": conversationAction,
  "conversation.transferred": conversationAction,
  "conversation.closed": conversationAction,
  "conversation.reopened": conversationAction,
  "message.created": applyMessage,
  "message.updated": applyMessage,
  "message.status_changed": applyMessage,
  "message.edited": applyMessage,
  "message.deleted": applyMessage,
  "message.reacted": applyMessage,
  "channel.status_changed": channelAction,
  "dead_letter.created": deadLetterAction,
  "dead_letter.retried": deadLetterAction,
  "dead_letter.discarded": deadLetterAction,
  "channel.created": channelAction,
  "channel.secret_rotated": channelAction,
  "member.added": memberAction,
  "member.updated": memberAction,
  "member.removed": memberAction,
};

export async function applyEvent(ctx: ApplyContext, event: ChangeEvent) {
  await eventActions[event.type]?.(ctx, event);
}
