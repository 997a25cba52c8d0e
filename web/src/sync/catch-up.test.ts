import { describe, expect, it } from "vitest";
import type { EventRow } from "../lib/types";
import { type EventPosition, LOG_START, readEventsAfter } from "./catch-up";

function row(tx: number, id: number): EventRow {
  return {
    id,
    tx,
    type: "message.created",
    tenant_id: "t",
    conversation_id: "c",
    message_id: `m${id}`,
    channel_id: null,
    actor_id: null,
    payload: { id: `m${id}` },
    created_at: "2026-11-24T10:00:00Z",
  };
}

/** The log as events_after serves it: ordered by (tx, id), after a position, at most maxRows. */
function log(rows: EventRow[]) {
  const sorted = [...rows].sort((a, b) => a.tx - b.tx || a.id - b.id);
  const calls: EventPosition[] = [];
  const page = async (after: EventPosition, maxRows: number) => {
    calls.push(after);
    return sorted.filter((r) => r.tx > after.tx || (r.tx === after.tx && r.id > after.id)).slice(0, maxRows);
  };
  return { page, calls };
}

describe("catching up after a gap", () => {
  it("reads every missed event once, in commit order, across pages", async () => {
    const { page } = log([row(10, 1), row(12, 2), row(11, 3), row(12, 4), row(13, 5)]);
    const result = await readEventsAfter(LOG_START, page, { pageSize: 2 });
    expect(result.events.map((e) => e.event_id)).toEqual([1, 3, 2, 4, 5]);
    expect(result.position).toEqual({ tx: 13, id: 5 });
    expect(result.complete).toBe(true);
  });

  it("orders by transaction, not id: an event with a lower id from a later transaction comes after", async () => {
    const { page } = log([row(20, 7), row(21, 6)]);
    const result = await readEventsAfter(LOG_START, page);
    expect(result.events.map((e) => e.event_id)).toEqual([7, 6]);
  });

  it("starts after the last position seen, so nothing already applied comes again", async () => {
    const { page } = log([row(10, 1), row(11, 2), row(12, 3)]);
    const result = await readEventsAfter({ tx: 11, id: 2 }, page);
    expect(result.events.map((e) => e.event_id)).toEqual([3]);
  });

  it("returns nothing and keeps its position when nothing happened", async () => {
    const { page } = log([row(10, 1)]);
    const result = await readEventsAfter({ tx: 10, id: 1 }, page);
    expect(result).toEqual({ events: [], position: { tx: 10, id: 1 }, complete: true });
  });

  it("says the gap was too long when it holds more pages than allowed", async () => {
    const { page, calls } = log(Array.from({ length: 10 }, (_, i) => row(i + 1, i + 1)));
    const result = await readEventsAfter(LOG_START, page, { pageSize: 2, maxPages: 3 });
    expect(result.complete).toBe(false);
    expect(result.position).toEqual({ tx: 6, id: 6 });
    expect(calls).toHaveLength(3);
  });

  it("rebuilds log rows into the broadcast shape", async () => {
    const { page } = log([row(10, 1)]);
    const [event] = (await readEventsAfter(LOG_START, page)).events;
    expect(event).toMatchObject({ event_id: 1, tx: 10, type: "message.created", record: { id: "m1" } });
  });
});
