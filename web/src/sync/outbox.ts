// The outbox: messages typed by the agent wait here until the server has stored them. They go out one at a
// time in the order typed; a refused one (window closed, conversation closed) stays visible with its reason and
// does not hold up the rest; a network failure puts it back in line for the next attempt. The client_id makes
// every retry safe: the server stores one message per client_id.
import type { Message } from "../lib/types";

export type OutboxState = "queued" | "sending" | "refused";

export interface OutboxItem {
  client_id: string;
  conversation_id: string;
  body: string;
  reply_to_message_id: string | null;
  queued_at: number;
  state: OutboxState;
  error?: { code: string; message: string };
}

export function enqueue(items: OutboxItem[], item: OutboxItem): OutboxItem[] {
  return items.some((i) => i.client_id === item.client_id) ? items : [...items, item];
}

/** The one to send now: none while another is in flight, so order holds; otherwise the oldest waiting. */
export function nextToSend(items: OutboxItem[]): OutboxItem | undefined {
  if (items.some((i) => i.state === "sending")) return undefined;
  return items.find((i) => i.state === "queued");
}

function update(items: OutboxItem[], clientId: string, patch: Partial<OutboxItem>): OutboxItem[] {
  return items.map((i) => (i.client_id === clientId ? { ...i, ...patch } : i));
}

export const markSending = (items: OutboxItem[], clientId: string) =>
  update(items, clientId, { state: "sending", error: undefined });

/** A network failure or server error: the same message goes again later, still first in line. */
export const requeue = (items: OutboxItem[], clientId: string) =>
  update(items, clientId, { state: "queued" });

export const markRefused = (items: OutboxItem[], clientId: string, error: { code: string; message: string }) =>
  update(items, clientId, { state: "refused", error });

/** The agent asks to try a refused message again (say, after the customer wrote back). */
export const retryRefused = (items: OutboxItem[], clientId: string) =>
  update(items, clientId, { state: "queued", error: undefined });

export const removeItem = (items: OutboxItem[], clientId: string) => items.filter((i) => i.client_id !== clientId);

/** After a reload nothing is in flight any more; whatever was being sent goes again (same client_id). */
export function restore(items: OutboxItem[]): OutboxItem[] {
  return items.map((i) => (i.state === "sending" ? { ...i, state: "queued" } : i));
}

/**
 * A conversation's messages still waiting, minus those the server already stored: the stored copy (known by
 * its client_id) replaces the local one, so a message is never shown twice.
 */
export function waitingIn(items: OutboxItem[], conversationId: string, stored: Message[]): OutboxItem[] {
  const storedIds = new Set(stored.map((m) => m.client_id).filter((id): id is string => id !== null));
  return items.filter((i) => i.conversation_id === conversationId && !storedIds.has(i.client_id));
}
