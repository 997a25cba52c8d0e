// What a conversation shows, in order: stored messages by seq, then the agent's messages still waiting in the
// outbox in the order typed, with a day heading wherever the day changes.
import type { Message } from "../lib/types";
import type { OutboxItem } from "./outbox";

export type ThreadRow =
  | { kind: "day"; key: string; day: string }
  | { kind: "message"; key: string; message: Message }
  | { kind: "waiting"; key: string; item: OutboxItem };

/** The local calendar day of an instant, as YYYY-MM-DD in the given time zone. */
export function dayOf(instant: string | number, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(instant));
}

export function threadRows(stored: Message[], waiting: OutboxItem[], timeZone?: string): ThreadRow[] {
  const rows: ThreadRow[] = [];
  let current = "";
  const heading = (day: string) => {
    if (day === current) return;
    current = day;
    rows.push({ kind: "day", key: `day:${day}:${rows.length}`, day });
  };
  for (const message of stored) {
    heading(dayOf(message.occurred_at, timeZone));
    rows.push({ kind: "message", key: message.client_id ?? message.id, message });
  }
  for (const item of waiting) {
    heading(dayOf(item.queued_at, timeZone));
    rows.push({ kind: "waiting", key: item.client_id, item });
  }
  return rows;
}
