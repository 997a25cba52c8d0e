import { describe, expect, it } from "vitest";
import { message } from "./test-rows";
import { flattenThread, hasSeqGap, mergeMessage, newestSeq, nextMessageStatus, type ThreadPages, upsertMessage, upsertMessages } from "./messages";

const empty = (): ThreadPages => ({ pages: [[]], pageParams: [null] });

describe("delivery ticks", () => {
  it("never go back: a late 'sent' receipt leaves a read message read", () => {
    expect(nextMessageStatus("read", "sent")).toBe("read");
    expect(nextMessageStatus("delivered", "read")).toBe("read");
  });
  it("a failure after delivery is ignored, a delivery after a failure proves the message arrived", () => {
    expect(nextMessageStatus("delivered", "failed")).toBe("delivered");
    expect(nextMessageStatus("failed", "delivered")).toBe("delivered");
    expect(nextMessageStatus("failed", "sent")).toBe("failed");
  });
});

describe("a thread taking in messages", () => {
  it("shows a message delivered twice once", () => {
    const m = message();
    const once = upsertMessage(empty(), m);
    const twice = upsertMessage(once, { ...m });
    expect(twice).toBe(once);
    expect(flattenThread(twice)).toHaveLength(1);
  });

  it("orders messages by seq whatever order they arrive in", () => {
    const [a, b, c] = [message({ seq: 1 }), message({ seq: 2 }), message({ seq: 3 })];
    const data = upsertMessages(empty(), [c, a, b]);
    expect(flattenThread(data).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("keeps read ticks when an older status event arrives after a newer one", () => {
    const m = message({ status: "pending" });
    const read = { ...m, status: "read" as const, sent_at: "s", delivered_at: "d", read_at: "r" };
    const sent = { ...m, status: "sent" as const, sent_at: "s" };
    const data = upsertMessages(empty(), [m, read, sent]);
    const [shown] = flattenThread(data);
    expect(shown.status).toBe("read");
    expect(shown.read_at).toBe("r");
  });

  it("keeps a deletion and the latest edit whichever copy comes last", () => {
    const m = message({ body: "v1" });
    const edited = { ...m, body: "v2", edited_at: "2026-11-24T10:05:00Z" };
    const deleted = { ...m, deleted_at: "2026-11-24T10:06:00Z" };
    const [shown] = flattenThread(upsertMessages(empty(), [edited, deleted]));
    expect(shown.body).toBe("v2");
    expect(shown.deleted_at).toBe("2026-11-24T10:06:00Z");
    expect(mergeMessage(edited, m).body).toBe("v2");
  });

  it("shows a failure's reason and drops it once a later receipt proves delivery", () => {
    const m = message({ status: "sent" });
    const failed = { ...m, status: "failed" as const, error: { code: 131047, title: "Re-engagement message" } };
    const afterFailure = flattenThread(upsertMessage(upsertMessage(empty(), m), failed))[0];
    expect(afterFailure.error?.title).toBe("Re-engagement message");
    const delivered = mergeMessage(afterFailure, { ...m, status: "delivered", delivered_at: "d" });
    expect(delivered.status).toBe("delivered");
  });

  it("merges a message that sits in two pages after a live insert met an older page", () => {
    const m = message({ seq: 10 });
    const data: ThreadPages = { pages: [[m], [{ ...m, status: "read", read_at: "r" }]], pageParams: [null, 11] };
    const shown = flattenThread(data);
    expect(shown).toHaveLength(1);
    expect(shown[0].status).toBe("read");
  });
});

describe("missed messages", () => {
  it("are detected when a message skips seqs", () => {
    expect(hasSeqGap(5, 6)).toBe(false);
    expect(hasSeqGap(5, 8)).toBe(true);
    expect(hasSeqGap(5, 3)).toBe(false);
    expect(hasSeqGap(0, 9)).toBe(false);
  });
  it("the newest seq comes from every page", () => {
    const data: ThreadPages = { pages: [[message({ seq: 7 })], [message({ seq: 9 })]], pageParams: [] };
    expect(newestSeq(data)).toBe(9);
    expect(newestSeq(undefined)).toBe(0);
  });
});
