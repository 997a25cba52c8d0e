import { describe, expect, it } from "vitest";
import type { OutboxItem } from "./outbox";
import { threadRows } from "./thread";
import { message } from "./test-rows";

describe("a conversation's rows", () => {
  it("put a day heading before the first message of each day", () => {
    const rows = threadRows(
      [
        message({ occurred_at: "2026-11-23T22:00:00Z" }),
        message({ occurred_at: "2026-11-23T23:30:00Z" }),
        message({ occurred_at: "2026-11-24T09:00:00Z" }),
      ],
      [],
      "America/Sao_Paulo",
    );
    expect(rows.map((r) => (r.kind === "day" ? r.day : r.kind))).toEqual([
      "2026-11-23",
      "message",
      "message",
      "2026-11-24",
      "message",
    ]);
  });

  it("show waiting messages after the stored ones, in the order typed", () => {
    const waiting: OutboxItem[] = ["x", "y"].map((id, i) => ({
      client_id: id,
      conversation_id: "c",
      body: id,
      reply_to_message_id: null,
      queued_at: Date.parse("2026-11-24T09:05:00Z") + i,
      state: "queued",
    }));
    const rows = threadRows([message({ occurred_at: "2026-11-24T09:00:00Z" })], waiting, "UTC");
    expect(rows.map((r) => r.kind)).toEqual(["day", "message", "waiting", "waiting"]);
    expect(rows.slice(2).map((r) => r.key)).toEqual(["x", "y"]);
  });

  it("keep their keys when older messages load above them, so the view can stay where the agent was", () => {
    const [older, a, b] = [message({ occurred_at: "2026-11-24T08:00:00Z" }), message({ occurred_at: "2026-11-24T09:00:00Z" }),
      message({ occurred_at: "2026-11-24T09:05:00Z" })];
    const before = threadRows([a, b], [], "UTC").map((r) => r.key);
    const after = threadRows([older, a, b], [], "UTC").map((r) => r.key);
    expect(after.slice(-2)).toEqual(before.slice(-2));
    expect(after[0]).not.toBe(before[0]);
  });

  it("keep a message's row key when its stored copy replaces the local one, so the bubble does not jump", () => {
    const stored = message({ client_id: "x" });
    expect(threadRows([stored], [], "UTC")[1].key).toBe("x");
  });
});
