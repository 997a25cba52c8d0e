// How the inbox's paged lists take in conversation rows from broadcasts and catch-up: each row is merged by id
// (the newer version wins, whatever order versions arrive in), then placed where the server's order would put
// it, or dropped from a list whose filter it no longer matches.
import type { Conversation, ConversationStatus } from "../lib/types";

export type InboxView = "mine" | "unassigned" | "all" | "department" | "agent";

export interface InboxFilter {
  view: InboxView;
  /** For the department view (managers). */
  departmentId: string | null;
  /** For the agent view (managers). */
  agentId: string | null;
  statuses: ConversationStatus[];
  search: string;
}

export interface ListPages {
  pages: Conversation[][];
  pageParams: unknown[];
}

/** Where the next page starts: after this row in the list's order. */
export interface ListCursor {
  at: string | null;
  id: string;
}

const instant = (s: string) => Date.parse(s);

/** A row's version: updated_at moves on every change, last_seq breaks ties inside one transaction. */
export function isNewerConversation(incoming: Conversation, current: Conversation): boolean {
  const a = instant(incoming.updated_at);
  const b = instant(current.updated_at);
  if (a !== b) return a > b;
  return incoming.last_seq >= current.last_seq;
}

/** The newer of two versions, keeping the contact and channel a broadcast record does not carry. */
export function mergeConversation(current: Conversation, incoming: Conversation): Conversation {
  const base = isNewerConversation(incoming, current) ? { ...current, ...incoming } : current;
  const merged = { ...base, contact: incoming.contact ?? current.contact, channel: incoming.channel ?? current.channel };
  return sameRow(merged, current) ? current : merged;
}

function sameRow(a: Conversation, b: Conversation): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Conversation>;
  return [...keys].every((k) => a[k] === b[k] || JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** The server's order: last activity first (conversations without messages last), then id. */
export function compareActivity(a: Conversation, b: Conversation): number {
  if (a.last_message_at !== b.last_message_at) {
    if (a.last_message_at === null) return 1;
    if (b.last_message_at === null) return -1;
    const diff = instant(b.last_message_at) - instant(a.last_message_at);
    if (diff !== 0) return diff;
  }
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Search text as the server matches it: name, WhatsApp name or number, case-insensitive. */
export function normaliseSearch(text: string): string {
  return text.trim().replace(/[,()"*\\%]/g, "").toLowerCase();
}

export function matchesSearch(conversation: Conversation, search: string): boolean {
  const q = normaliseSearch(search);
  if (!q) return true;
  const c = conversation.contact;
  if (!c) return false;
  return [c.name, c.push_name, c.phone].some((field) => field?.toLowerCase().includes(q));
}

export function matchesFilter(conversation: Conversation, filter: InboxFilter, me: string): boolean {
  if (!filter.statuses.includes(conversation.status)) return false;
  if (filter.view === "mine" && conversation.assignee_id !== me) return false;
  if (filter.view === "unassigned" && conversation.assignee_id !== null) return false;
  if (filter.view === "department" && filter.departmentId && conversation.department_id !== filter.departmentId) {
    return false;
  }
  if (filter.view === "agent" && filter.agentId && conversation.assignee_id !== filter.agentId) return false;
  return matchesSearch(conversation, filter.search);
}

export function findConversation(data: ListPages | undefined, id: string): Conversation | undefined {
  for (const page of data?.pages ?? []) {
    const found = page.find((c) => c.id === id);
    if (found) return found;
  }
  return undefined;
}

/**
 * Applies one conversation row to a paged list. `complete` says every page is loaded; otherwise a row that
 * sorts after the last loaded one is left for paging to bring. Returns the same object when nothing changed.
 */
export function applyToList(
  data: ListPages,
  incoming: Conversation,
  belongs: (c: Conversation) => boolean,
  complete: boolean,
): ListPages {
  const current = findConversation(data, incoming.id);
  const row = current ? mergeConversation(current, incoming) : incoming;
  if (current && row === current && belongs(current)) return data;
  const pages = data.pages.map((page) => page.filter((c) => c.id !== incoming.id));
  if (belongs(row)) {
    const target = insertionPoint(pages, row);
    if (target) pages[target.page].splice(target.index, 0, row);
    else if (complete) (pages[pages.length - 1] ?? (pages[0] = [])).push(row);
  }
  if (!current && !pages.some((page) => page.includes(row))) return data;
  return { ...data, pages };
}

function insertionPoint(pages: Conversation[][], row: Conversation) {
  for (let p = 0; p < pages.length; p++) {
    const index = pages[p].findIndex((c) => compareActivity(row, c) < 0);
    if (index !== -1) return { page: p, index };
  }
  return undefined;
}

/** The list as shown: each conversation once (paging while rows move can fetch one twice). */
export function flattenList(data: ListPages | undefined): Conversation[] {
  const seen = new Set<string>();
  const rows: Conversation[] = [];
  for (const page of data?.pages ?? []) {
    for (const c of page) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      rows.push(c);
    }
  }
  return rows;
}

/** Patches one conversation wherever a list holds it, without moving it (e.g. unread cleared on opening). */
export function patchInList(data: ListPages, id: string, patch: Partial<Conversation>): ListPages {
  if (!findConversation(data, id)) return data;
  return { ...data, pages: data.pages.map((page) => page.map((c) => (c.id === id ? { ...c, ...patch } : c))) };
}

export function cursorAfter(page: Conversation[]): ListCursor | undefined {
  const last = page[page.length - 1];
  return last ? { at: last.last_message_at, id: last.id } : undefined;
}
