// The admins' commands, through the channels and members functions. Each answer goes into the cache at once; the
// broadcast of the same change (channel.created, member.updated, …) invalidates for every other console.
import type { QueryClient } from "@tanstack/react-query";
import { callFunction } from "../../lib/functions";
import { teamKeys } from "../team/queries";
import { settingsKeys } from "./queries";
import type {
  AddedMember,
  ChannelRecord,
  CreatedChannel,
  RotatedSecret,
  SecretName,
  TeamMember,
  TestEvent,
} from "./types";

export async function createChannel(qc: QueryClient, tenantId: string, body: Record<string, unknown>) {
  const created = await callFunction<CreatedChannel>("channels", { body });
  qc.setQueryData<ChannelRecord[]>(settingsKeys.channels(tenantId), (list) =>
    list && !list.some((c) => c.id === created.channel.id) ? [...list, created.channel] : list);
  void qc.invalidateQueries({ queryKey: teamKeys.channels(tenantId) });
  return created;
}

export async function rotateSecret(
  qc: QueryClient,
  tenantId: string,
  channelId: string,
  input: { secret: SecretName; value?: string; grace_seconds: number },
) {
  const rotated = await callFunction<RotatedSecret>(`channels/${channelId}/secrets`, { body: { ...input } });
  await qc.invalidateQueries({ queryKey: settingsKeys.channel(tenantId, channelId), exact: true });
  return rotated;
}

export async function sendTestEvent(channelId: string) {
  return (await callFunction<{ test_event: TestEvent }>(`channels/${channelId}/test-event`, { body: {} })).test_event;
}

function putMember(qc: QueryClient, tenantId: string, member: TeamMember) {
  qc.setQueryData<TeamMember[]>(settingsKeys.members(tenantId), (list) =>
    list && [...list.filter((m) => m.user_id !== member.user_id), member]
      .sort((a, b) => a.display_name.localeCompare(b.display_name)));
  // the console's own lists (transfer dialog, filters) read members and departments too
  void qc.invalidateQueries({ queryKey: teamKeys.members(tenantId) });
  void qc.invalidateQueries({ queryKey: teamKeys.departmentMembers(tenantId) });
}

export async function addMember(qc: QueryClient, tenantId: string, body: Record<string, unknown>) {
  const added = await callFunction<AddedMember>("members", { body });
  putMember(qc, tenantId, added.member);
  return added;
}

export async function updateMember(
  qc: QueryClient,
  tenantId: string,
  userId: string,
  changes: { role?: string; display_name?: string; department_ids?: string[] },
) {
  const { member } = await callFunction<{ member: TeamMember }>(`members/${userId}`, {
    method: "PATCH",
    body: { tenant_id: tenantId, ...changes },
  });
  putMember(qc, tenantId, member);
  return member;
}

export async function removeMember(qc: QueryClient, tenantId: string, userId: string) {
  await callFunction(`members/${userId}?tenant_id=${tenantId}`, { method: "DELETE" });
  qc.setQueryData<TeamMember[]>(settingsKeys.members(tenantId), (list) => list?.filter((m) => m.user_id !== userId));
  void qc.invalidateQueries({ queryKey: teamKeys.members(tenantId) });
}
