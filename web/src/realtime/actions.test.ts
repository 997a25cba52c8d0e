// The event table applied to a real TanStack Query cache, as broadcasts and catch-up feed it: duplicates,
// out-of-order arrival and gaps.
import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { ChangeEvent, Conversation, EventType, Message } from "../lib/types";
import { conversationKeys } from "../features/conversation/queries";
import { inboxKeys } from "../features/inbox/queries";
import { defaultDeadLetterFilter } from "../features/monitoring/dead-letters";
import { monitoringKeys } from "../features/monitoring/queries";
import { flattenList, type InboxFilter, type ListPages } from "../sync/conversations";
import { flattenThread, type ThreadPages } from "../sync/messages";
import { conversation, message } from "../sync/test-rows";
import { type ApplyContext, applyEvent } from "./actions";

let id = 0;
function event(type: EventType, record: Message | Conversation): ChangeEvent {
  id++;
  return {
    event_id: id,
    tx: id,
    type,
    tenant_id: "t",
    conversation_id: "conversation_id" in record ? record.conversation_id : record.id,
    message_id: "seq" in record ? record.id : null,
    channel_id: null,
    record: record as unknown as Record<string, unknown>,
  };
}

function setup() {
  const queryClient = new QueryClient();
  const missed: string[] = [];
  const ctx: ApplyContext = { queryClient, tenantId: "t", onMissedMessages: (c) => missed.push(c) };
  return { queryClient, ctx, missed };
}

const all: InboxFilter = { view: "all", departmentId: null, agentId: null, statuses: ["open", "pending"], search: "" };
const unassigned: InboxFilter = { ...all, view: "unassigned" };

describe("realtime events in the cache", () => {
  it("a message broadcast twice, or again during catch-up, shows once", async () => {
    const { queryClient, ctx } = setup();
    const key = conversationKeys.messages("c");
    queryClient.setQueryData<ThreadPages>(key, { pages: [[message({ seq: 1 })]], pageParams: [null] });
    const m = message({ seq: 2 });
    for (let i = 0; i < 3; i++) await applyEvent(ctx, event("message.created", m));
    expect(flattenThread(queryClient.getQueryData(key)).map((x) => x.seq)).toEqual([1, 2]);
  });

  it("a status event older than the one shown leaves the ticks where they are", async () => {
    const { queryClient, ctx } = setup();
    const key = conversationKeys.messages("c");
    const m = message({ seq: 1, status: "pending" });
    queryClient.setQueryData<ThreadPages>(key, { pages: [[m]], pageParams: [null] });
    await applyEvent(ctx, event("message.status_changed", { ...m, status: "read", read_at: "r" }));
    await applyEvent(ctx, event("message.status_changed", { ...m, status: "delivered", delivered_at: "d" }));
    expect(flattenThread(queryClient.getQueryData(key))[0].status).toBe("read");
  });

  it("a message past the next seq asks for the ones in between", async () => {
    const { queryClient, ctx, missed } = setup();
    const key = conversationKeys.messages("c");
    queryClient.setQueryData<ThreadPages>(key, { pages: [[message({ seq: 4 })]], pageParams: [null] });
    await applyEvent(ctx, event("message.created", message({ seq: 5 })));
    expect(missed).toEqual([]);
    await applyEvent(ctx, event("message.created", message({ seq: 9 })));
    expect(missed).toEqual(["c"]);
  });

  it("a conversation taken by an agent leaves every console's unassigned list and stays in All", async () => {
    const { queryClient, ctx } = setup();
    const c = conversation({ status: "pending", assignee_id: null, updated_at: "2026-11-24T10:00:00Z" });
    const allKey = inboxKeys.list("t", "me", all);
    const unassignedKey = inboxKeys.list("t", "me", unassigned);
    queryClient.setQueryData<ListPages>(allKey, { pages: [[c]], pageParams: [null] });
    queryClient.setQueryData<ListPages>(unassignedKey, { pages: [[c]], pageParams: [null] });
    const taken = { ...c, status: "open" as const, assignee_id: "bruno", updated_at: "2026-11-24T10:01:00Z", contact: undefined };
    await applyEvent(ctx, event("conversation.assigned", taken));
    // the older "updated" event arriving late changes nothing
    await applyEvent(ctx, event("conversation.updated", { ...c, unread_count: 5, contact: undefined }));
    expect(flattenList(queryClient.getQueryData(unassignedKey))).toEqual([]);
    const [row] = flattenList(queryClient.getQueryData(allKey));
    expect(row).toMatchObject({ assignee_id: "bruno", status: "open", unread_count: c.unread_count });
    expect(row.contact).toEqual(c.contact);
  });

  it("a read conversation shows no unread count in the lists and in the open view", async () => {
    const { queryClient, ctx } = setup();
    const c = conversation({ unread_count: 3, updated_at: "2026-11-24T10:00:00Z" });
    queryClient.setQueryData<ListPages>(inboxKeys.list("t", "me", all), { pages: [[c]], pageParams: [null] });
    queryClient.setQueryData(conversationKeys.detail(c.id), c);
    await applyEvent(ctx, event("conversation.updated", { ...c, unread_count: 0, updated_at: "2026-11-24T10:00:05Z" }));
    expect(flattenList(queryClient.getQueryData(inboxKeys.list("t", "me", all)))[0].unread_count).toBe(0);
    expect(queryClient.getQueryData<Conversation>(conversationKeys.detail(c.id))?.unread_count).toBe(0);
  });

  it("a dead letter appearing or handled marks the managers' figures and lists stale", async () => {
    const { queryClient, ctx } = setup();
    const stats = monitoringKeys.stats("t");
    const list = monitoringKeys.deadLetterList("t", defaultDeadLetterFilter);
    for (const type of ["dead_letter.created", "dead_letter.retried", "dead_letter.discarded"] as const) {
      queryClient.setQueryData(stats, { queue: {} });
      queryClient.setQueryData(list, { pages: [[]], pageParams: [null] });
      await applyEvent(ctx, { ...event("conversation.updated", conversation({})), type, record: { ids: [1], count: 1 } });
      expect(queryClient.getQueryState(stats)?.isInvalidated).toBe(true);
      expect(queryClient.getQueryState(list)?.isInvalidated).toBe(true);
    }
  });
});
