// The admins' pages follow other consoles: channel and member events (broadcast or caught up) mark their lists
// stale, so a second admin sees a new channel or member without a reload.
import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { ChangeEvent, EventType } from "../../lib/types";
import { applyEvent } from "../../realtime/actions";
import { teamKeys } from "../team/queries";
import { settingsKeys } from "./queries";

const event = (type: EventType): ChangeEvent => ({
  event_id: 1,
  tx: 1,
  type,
  tenant_id: "t",
  conversation_id: null,
  message_id: null,
  channel_id: "ch",
  record: {},
});

function cacheWith(...keys: (readonly unknown[])[]) {
  const queryClient = new QueryClient();
  for (const key of keys) queryClient.setQueryData(key, []);
  const stale = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated;
  return { ctx: { queryClient, tenantId: "t", onMissedMessages: () => undefined }, stale };
}

describe("the admins' pages, live", () => {
  it("a channel created or a secret rotated elsewhere refreshes the channel list and its setup", async () => {
    for (const type of ["channel.created", "channel.secret_rotated", "channel.status_changed"] as const) {
      const { ctx, stale } = cacheWith(settingsKeys.channels("t"), settingsKeys.channel("t", "ch"), teamKeys.channels("t"));
      await applyEvent(ctx, event(type));
      expect([stale(settingsKeys.channels("t")), stale(settingsKeys.channel("t", "ch")), stale(teamKeys.channels("t"))]).toEqual([
        true,
        true,
        true,
      ]);
    }
  });

  it("a member added, changed or removed refreshes the members page and the console's own team lists", async () => {
    for (const type of ["member.added", "member.updated", "member.removed"] as const) {
      const { ctx, stale } = cacheWith(settingsKeys.members("t"), teamKeys.members("t"), teamKeys.departmentMembers("t"));
      await applyEvent(ctx, event(type));
      expect([stale(settingsKeys.members("t")), stale(teamKeys.members("t")), stale(teamKeys.departmentMembers("t"))]).toEqual([
        true,
        true,
        true,
      ]);
    }
  });
});
