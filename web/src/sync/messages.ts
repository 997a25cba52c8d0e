// How a thread's cached messages take in rows from any source (first load, older pages, broadcasts, catch-up,
// send responses) so that arrival order never matters: rows are keyed by id, ordered by seq, and a stale copy
// never undoes a newer one.
import type { Message, MessageStatus } from "../lib/types";

/** The thread cache: pages as loaded, newest page first; a page is any set of messages. */
export interface ThreadPages {
  pages: Message[][];
  pageParams: unknown[];
}

const forward: MessageStatus[] = ["pending", "sent", "delivered", "read"];

/** The database's forward-only rule (app.next_message_status): ticks never go back, failed yields to proof. */
export function nextMessageStatus(current: MessageStatus, incoming: MessageStatus): MessageStatus {
  if (incoming === "failed") return current === "pending" || current === "sent" ? "failed" : current;
  if (current === "failed") return incoming === "delivered" || incoming === "read" ? incoming : current;
  return forward.indexOf(incoming) > forward.indexOf(current) ? incoming : current;
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a >= b ? a : b);

/** Two copies of one message → the newest knowledge of both, whichever came first. */
export function mergeMessage(current: Message, incoming: Message): Message {
  const status = nextMessageStatus(current.status, incoming.status);
  const editedAt = later(current.edited_at, incoming.edited_at);
  const bodySource = editedAt !== null && editedAt === current.edited_at && editedAt !== incoming.edited_at
    ? current
    : incoming;
  return {
    ...current,
    ...incoming,
    status,
    sent_at: current.sent_at ?? incoming.sent_at,
    delivered_at: current.delivered_at ?? incoming.delivered_at,
    read_at: current.read_at ?? incoming.read_at,
    failed_at: current.failed_at ?? incoming.failed_at,
    error: status === "failed" ? incoming.error ?? current.error : current.error ?? incoming.error,
    provider_message_id: current.provider_message_id ?? incoming.provider_message_id,
    deleted_at: current.deleted_at ?? incoming.deleted_at,
    edited_at: editedAt,
    body: bodySource.body,
  };
}

function sameMessage(a: Message, b: Message): boolean {
  return (Object.keys(b) as (keyof Message)[]).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/**
 * Puts one message into the thread cache: merged in place where its id already is, otherwise added to the
 * newest page (rendering orders by seq, so the page it sits in does not matter). Returns the same object when
 * nothing changed, so a duplicate causes no re-render.
 */
export function upsertMessage(data: ThreadPages, message: Message): ThreadPages {
  for (let p = 0; p < data.pages.length; p++) {
    const i = data.pages[p].findIndex((m) => m.id === message.id);
    if (i === -1) continue;
    const merged = mergeMessage(data.pages[p][i], message);
    if (sameMessage(data.pages[p][i], merged)) return data;
    const page = data.pages[p].slice();
    page[i] = merged;
    return { ...data, pages: data.pages.map((old, n) => (n === p ? page : old)) };
  }
  const [newest = [], ...older] = data.pages;
  return { ...data, pages: [[message, ...newest], ...older] };
}

export function upsertMessages(data: ThreadPages, messages: Message[]): ThreadPages {
  return messages.reduce(upsertMessage, data);
}

/** The thread in seq order, each message once (a message may sit in two pages after a live insert). */
export function flattenThread(data: ThreadPages | undefined): Message[] {
  if (!data) return [];
  const byId = new Map<string, Message>();
  for (const page of data.pages) {
    for (const m of page) {
      const seen = byId.get(m.id);
      byId.set(m.id, seen ? mergeMessage(seen, m) : m);
    }
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** The highest seq held, or 0 for an empty thread. */
export function newestSeq(data: ThreadPages | undefined): number {
  let max = 0;
  for (const page of data?.pages ?? []) for (const m of page) if (m.seq > max) max = m.seq;
  return max;
}

/** The lowest seq in the oldest page: where the next older page starts. */
export function oldestSeq(page: Message[]): number | undefined {
  return page.length ? Math.min(...page.map((m) => m.seq)) : undefined;
}

/**
 * Whether a message that just arrived proves earlier ones were missed: the thread's newest seq is n and this
 * one is beyond n + 1. Then the messages after n must be fetched; the ones in between never announced
 * themselves.
 */
export function hasSeqGap(newest: number, incomingSeq: number): boolean {
  return newest > 0 && incomingSeq > newest + 1;
}
