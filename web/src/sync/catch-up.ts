// Catch-up after a gap: read the tenant's event log after the last position this console has seen. Positions
// are (tx, id) because ids commit out of order across transactions; `events_after` only hands out events of
// finished transactions, so advancing to the last one it returned never skips an event that commits later.
import type { ChangeEvent, EventRow } from "../lib/types";

export interface EventPosition {
  tx: number;
  id: number;
}

export const LOG_START: EventPosition = { tx: 0, id: 0 };

export function comparePositions(a: EventPosition, b: EventPosition): number {
  return a.tx - b.tx || a.id - b.id;
}

/** An events row rebuilt into the shape the topics broadcast, so both go through one table of actions. */
export function toChangeEvent(row: EventRow): ChangeEvent {
  return {
    event_id: row.id,
    tx: row.tx,
    type: row.type,
    tenant_id: row.tenant_id,
    conversation_id: row.conversation_id,
    message_id: row.message_id,
    channel_id: row.channel_id,
    record: row.payload,
  };
}

export type EventPage = (after: EventPosition, maxRows: number) => Promise<EventRow[]>;

export interface CatchUp {
  events: ChangeEvent[];
  position: EventPosition;
  /** False when the gap held more than maxPages pages: the caller should refetch what it shows. */
  complete: boolean;
}

export async function readEventsAfter(
  from: EventPosition,
  page: EventPage,
  { pageSize = 500, maxPages = 10 } = {},
): Promise<CatchUp> {
  let position = from;
  const events: ChangeEvent[] = [];
  for (let n = 0; n < maxPages; n++) {
    const rows = await page(position, pageSize);
    for (const row of rows) {
      const at = { tx: row.tx, id: row.id };
      // a page never goes backwards; anything at or before the position was applied already
      if (comparePositions(at, position) <= 0) continue;
      events.push(toChangeEvent(row));
      position = at;
    }
    if (rows.length < pageSize) return { events, position, complete: true };
  }
  return { events, position, complete: false };
}
