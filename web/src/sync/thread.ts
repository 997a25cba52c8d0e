// What a conversation shows, in order: stored messages by seq, then the agent's messages still waiting in the
// outbox in the order typed, with a day heading wherever the day changes.
import type { Message } from "../lib/types";
import type { OutboxItem } from "./outbox";

export type ThreadRow =
  | { kind: "day"; key: string; day: string }
  | { kind: "message"; key: string; message: Message }
  | { kind: "waiting"; key: string; item: OutboxItem };

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar day of an instant, as YYYY-MM-DD in the given time zone. */
export function dayOf(instant: string | number, timeZone?: string): string {
  const key = timeZone ?? "";
  let f = dayFormats.get(key);
  if (!f) dayFormats.set(key, (f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })));
  return f.format(new Date(instant));
}

export function threadRows(stored: Message[], waiting: OutboxItem[], timeZone?: string): ThreadRow[] {
  const rows: ThreadRow[] = [];
  let current = "";
  // a heading is named after the row it introduces, so its key stays put when older pages load above it
  const add = (day: string, row: ThreadRow) => {
    if (day !== current) rows.push({ kind: "day", key: `day:${row.key}`, day });
    current = day;
    rows.push(row);
  };
  for (const message of stored) {
    add(dayOf(message.occurred_at, timeZone), { kind: "message", key: message.client_id ?? message.id, message });
  }
  for (const item of waiting) add(dayOf(item.queued_at, timeZone), { kind: "waiting", key: item.client_id, item });
  return rows;
}
