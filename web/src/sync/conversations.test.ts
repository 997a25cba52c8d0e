import { describe, expect, it } from "vitest";
import type { Conversation } from "../lib/types";
import {
  applyToList,
  compareActivity,
  flattenList,
  type InboxFilter,
  type ListPages,
  matchesFilter,
  mergeConversation,
} from "./conversations";
import { conversation } from "./test-rows";

const at = (minute: number) => `2026-11-24T10:${String(minute).padStart(2, "0")}:00.000000+00:00`;
const all: InboxFilter = { view: "all", departmentId: null, agentId: null, statuses: ["open", "pending"], search: "" };
const belongsToAll = (c: Conversation) => matchesFilter(c, all, "me");

function list(...rows: Conversation[][]): ListPages {
  return { pages: rows, pageParams: rows.map(() => null) };
}

describe("the inbox list taking in conversation changes", () => {
  it("moves a conversation with a new message to the top", () => {
    const [a, b, c] = [conversation({ last_message_at: at(3) }), conversation({ last_message_at: at(2) }),
      conversation({ last_message_at: at(1) })];
    const data = list([a, b], [c]);
    const newer = { ...c, last_message_at: at(9), updated_at: at(9), last_seq: 2, contact: undefined };
    const after = flattenList(applyToList(data, newer, belongsToAll, false));
    expect(after.map((r) => r.id)).toEqual([c.id, a.id, b.id]);
    expect(after[0].contact).toEqual(c.contact);
  });

  it("ignores an older version of a row that arrives after a newer one", () => {
    const c = conversation({ updated_at: at(5), last_seq: 4, unread_count: 0 });
    const data = list([c]);
    const stale = { ...c, updated_at: at(4), last_seq: 3, unread_count: 3 };
    expect(applyToList(data, stale, belongsToAll, true)).toBe(data);
  });

  it("applies the same event twice as once", () => {
    const c = conversation({ last_message_at: at(1) });
    const data = list([c]);
    const update = { ...c, updated_at: at(2), unread_count: 2 };
    const once = applyToList(data, update, belongsToAll, true);
    expect(applyToList(once, update, belongsToAll, true)).toBe(once);
    expect(flattenList(once)).toHaveLength(1);
  });

  it("drops a conversation that leaves the list's filter (taken by someone, closed)", () => {
    const c = conversation({ status: "pending", assignee_id: null });
    const unassigned: InboxFilter = { ...all, view: "unassigned" };
    const data = list([c]);
    const taken = { ...c, status: "open" as const, assignee_id: "bruno", updated_at: at(30) };
    const after = applyToList(data, taken, (r) => matchesFilter(r, unassigned, "me"), true);
    expect(flattenList(after)).toEqual([]);
  });

  it("adds a new conversation at its place, or leaves it to paging when it sorts past the loaded rows", () => {
    const [a, b] = [conversation({ last_message_at: at(5) }), conversation({ last_message_at: at(3) })];
    const data = list([a, b]);
    const between = conversation({ last_message_at: at(4) });
    expect(flattenList(applyToList(data, between, belongsToAll, false)).map((r) => r.id)).toEqual([a.id, between.id, b.id]);
    const older = conversation({ last_message_at: at(1) });
    expect(applyToList(data, older, belongsToAll, false)).toBe(data);
    expect(flattenList(applyToList(data, older, belongsToAll, true)).map((r) => r.id)).toEqual([a.id, b.id, older.id]);
  });

  it("shows a conversation once even when paging fetched it twice", () => {
    const c = conversation();
    expect(flattenList(list([c], [c]))).toHaveLength(1);
  });

  it("orders conversations without messages last", () => {
    const silent = conversation({ last_message_at: null });
    const talked = conversation({ last_message_at: at(1) });
    expect([silent, talked].sort(compareActivity).map((r) => r.id)).toEqual([talked.id, silent.id]);
  });

  it("keeps the embedded contact when a broadcast record replaces the row", () => {
    const c = conversation();
    const merged = mergeConversation(c, { ...c, contact: undefined, updated_at: at(40) });
    expect(merged.contact?.push_name).toBe(c.contact?.push_name);
  });
});

describe("inbox filters", () => {
  it("finds a contact by name or number", () => {
    const c = conversation();
    expect(matchesFilter(c, { ...all, search: c.contact!.push_name!.toUpperCase() }, "me")).toBe(true);
    expect(matchesFilter(c, { ...all, search: c.contact!.phone!.slice(-4) }, "me")).toBe(true);
    expect(matchesFilter(c, { ...all, search: "nobody" }, "me")).toBe(false);
  });
  it("Mine shows only the agent's conversations, by status", () => {
    const mine = conversation({ assignee_id: "me", status: "open" });
    const closed = conversation({ assignee_id: "me", status: "closed" });
    const mineFilter: InboxFilter = { ...all, view: "mine" };
    expect(matchesFilter(mine, mineFilter, "me")).toBe(true);
    expect(matchesFilter(closed, mineFilter, "me")).toBe(false);
    expect(matchesFilter(mine, mineFilter, "someone else")).toBe(false);
  });
});
