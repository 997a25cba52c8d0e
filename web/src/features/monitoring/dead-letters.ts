// The dead-letter table's state as plain data: filters and the page cursor become the /ops/dead-letters query,
// and the bulk selection follows the rows on screen. Pure, so it is tested apart from React.
import type { DeadLetter } from "./types";

export type DeadLetterState = "active" | "discarded" | "all";

export interface DeadLetterFilter {
  channelId: string | null;
  kind: string | null;
  /** Part of the last error, matched case-insensitively by the server. */
  error: string;
  state: DeadLetterState;
}

export const defaultDeadLetterFilter: DeadLetterFilter = { channelId: null, kind: null, error: "", state: "active" };

/** Newest failures first; the next page starts after the last row's (failed_at, id). */
export interface Cursor {
  failedAt: string;
  id: number;
}

export const DEAD_LETTER_PAGE = 50;

export function deadLettersPath(tenantId: string, filter: DeadLetterFilter, cursor?: Cursor | null, limit = DEAD_LETTER_PAGE) {
  const query = new URLSearchParams({ tenant_id: tenantId, state: filter.state, limit: String(limit) });
  if (filter.channelId) query.set("channel_id", filter.channelId);
  if (filter.kind) query.set("kind", filter.kind);
  const error = filter.error.trim();
  if (error) query.set("error", error);
  if (cursor) {
    query.set("before_failed_at", cursor.failedAt);
    query.set("before_id", String(cursor.id));
  }
  return `ops/dead-letters?${query}`;
}

export function nextCursor(page: readonly DeadLetter[], limit = DEAD_LETTER_PAGE): Cursor | undefined {
  const last = page[page.length - 1];
  return page.length >= limit && last ? { failedAt: last.failed_at, id: last.id } : undefined;
}

export type Selection = ReadonlySet<number>;

export function toggleOne(selected: Selection, id: number): Selection {
  const next = new Set(selected);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** The header checkbox: selects every visible row, or clears them all when all already are. */
export function toggleAll(selected: Selection, visible: readonly number[]): Selection {
  if (visible.length && visible.every((id) => selected.has(id))) return new Set();
  return new Set(visible);
}

export function selectionState(selected: Selection, visible: readonly number[]): "none" | "some" | "all" {
  const count = visible.filter((id) => selected.has(id)).length;
  if (!count) return "none";
  return count === visible.length ? "all" : "some";
}

/** Rows that left the table (retried, discarded, filtered away) leave the selection too. */
export function keepVisible(selected: Selection, visible: readonly number[]): Selection {
  const shown = new Set(visible);
  return [...selected].every((id) => shown.has(id)) ? selected : new Set([...selected].filter((id) => shown.has(id)));
}
