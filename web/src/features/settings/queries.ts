// The admins' pages: the tenant's channels (a REST read; RLS lets members read channel rows, never secrets), one
// channel's setup with its secrets masked, how far a test event got, and the members with their emails. Channel
// and member events invalidate these (realtime/actions.ts), so a second admin's console follows live.
import { queryOptions } from "@tanstack/react-query";
import { callFunction } from "../../lib/functions";
import { rows } from "../../lib/rest";
import { supabase } from "../../lib/supabase";
import type { ChannelDetail, ChannelRecord, TeamMember, TestEventStage } from "./types";

export const settingsKeys = {
  all: (tenantId: string) => ["settings", tenantId] as const,
  channels: (tenantId: string) => [...settingsKeys.all(tenantId), "channels"] as const,
  channel: (tenantId: string, channelId: string) => [...settingsKeys.channels(tenantId), channelId] as const,
  testEvent: (tenantId: string, channelId: string, providerMessageId: string) =>
    [...settingsKeys.channel(tenantId, channelId), "test-event", providerMessageId] as const,
  members: (tenantId: string) => [...settingsKeys.all(tenantId), "members"] as const,
};

export const channelListQuery = (tenantId: string) =>
  queryOptions({
    queryKey: settingsKeys.channels(tenantId),
    queryFn: () =>
      rows<ChannelRecord[]>(
        supabase().from("channels")
          .select("id,tenant_id,provider,external_id,name,base_url,waba_id,default_department_id,status,status_reason,status_changed_at,created_at")
          .eq("tenant_id", tenantId).order("created_at"),
      ),
  });

export const channelDetailQuery = (tenantId: string, channelId: string) =>
  queryOptions({
    queryKey: settingsKeys.channel(tenantId, channelId),
    queryFn: () => callFunction<ChannelDetail>(`channels/${channelId}`, { method: "GET" }),
    retry: (failures, error) => failures < 2 && (error as { status?: number }).status !== 404,
  });

/** Polled while the event travels; stops once it is stored or dead-lettered, or after TEST_EVENT_PATIENCE_MS. */
export const TEST_EVENT_POLL_MS = 500;
export const TEST_EVENT_PATIENCE_MS = 120_000;

export const testEventStageQuery = (tenantId: string, channelId: string, providerMessageId: string, sentAt: number) =>
  queryOptions({
    queryKey: settingsKeys.testEvent(tenantId, channelId, providerMessageId),
    queryFn: () =>
      callFunction<TestEventStage>(`channels/${channelId}/test-event/${encodeURIComponent(providerMessageId)}`, {
        method: "GET",
      }),
    refetchInterval: (query) => {
      const stage = query.state.data?.stage;
      const settled = stage === "applied" || stage === "dead_lettered";
      return settled || Date.now() - sentAt > TEST_EVENT_PATIENCE_MS ? false : TEST_EVENT_POLL_MS;
    },
  });

export const teamMembersQuery = (tenantId: string) =>
  queryOptions({
    queryKey: settingsKeys.members(tenantId),
    queryFn: async () =>
      (await callFunction<{ members: TeamMember[] }>(`members?tenant_id=${tenantId}`, { method: "GET" })).members,
  });
