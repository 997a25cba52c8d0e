// One conversation: its row (with contact and channel) and its messages, newest page first, older pages by
// seq keyset; a quoted message outside the loaded pages; a message's delivery history.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { callFunction } from "../../lib/functions";
import { rows } from "../../lib/rest";
import { supabase } from "../../lib/supabase";
import type { Conversation, Message, MessageStatus } from "../../lib/types";
import { oldestSeq } from "../../sync/messages";
import { CONVERSATION_COLUMNS } from "../inbox/queries";

export const MESSAGE_PAGE_SIZE = 50;

export const conversationKeys = {
  all: ["conversation"] as const,
  detail: (id: string) => [...conversationKeys.all, id] as const,
  messages: (id: string) => [...conversationKeys.all, id, "messages"] as const,
  message: (id: string) => ["message", id] as const,
  history: (id: string) => ["message", id, "history"] as const,
};

export async function fetchConversation(id: string): Promise<Conversation | null> {
  return rows<Conversation | null>(supabase().from("conversations").select(CONVERSATION_COLUMNS).eq("id", id).maybeSingle());
}

export const conversationQuery = (id: string) =>
  queryOptions({ queryKey: conversationKeys.detail(id), queryFn: () => fetchConversation(id), staleTime: Infinity });

export const messagesQuery = (conversationId: string) =>
  infiniteQueryOptions({
    queryKey: conversationKeys.messages(conversationId),
    queryFn: ({ pageParam }) => {
      let query = supabase().from("messages").select("*").eq("conversation_id", conversationId);
      if (pageParam !== null) query = query.lt("seq", pageParam);
      return rows<Message[]>(query.order("seq", { ascending: false }).limit(MESSAGE_PAGE_SIZE));
    },
    initialPageParam: null as number | null,
    getNextPageParam: (last: Message[]) => (last.length < MESSAGE_PAGE_SIZE ? undefined : oldestSeq(last)),
    staleTime: Infinity,
  });

/** Messages after a seq, oldest first: what a thread missed during a gap. */
export function fetchMessagesAfter(conversationId: string, seq: number): Promise<Message[]> {
  return rows<Message[]>(
    supabase().from("messages").select("*").eq("conversation_id", conversationId).gt("seq", seq)
      .order("seq", { ascending: true }).limit(1000),
  );
}

export const messageQuery = (id: string) =>
  queryOptions({
    queryKey: conversationKeys.message(id),
    queryFn: () => rows<Message | null>(supabase().from("messages").select("*").eq("id", id).maybeSingle()),
    staleTime: Infinity,
  });

export interface MessageHistory {
  message: Message;
  history: { status: MessageStatus; at: string; error?: unknown }[];
}

export const historyQuery = (id: string) =>
  queryOptions({
    queryKey: conversationKeys.history(id),
    queryFn: () => callFunction<MessageHistory>(`messages/${id}`, { method: "GET" }),
  });
