// Who works here and where: members, departments and who is in which, and the tenant's channels. Small lists,
// loaded whole; they change rarely, so they stay fresh for minutes and a channel event invalidates channels.
import { queryOptions } from "@tanstack/react-query";
import { rows } from "../../lib/rest";
import { supabase } from "../../lib/supabase";
import type { Channel, Department, DepartmentMember, Member } from "../../lib/types";

export const teamKeys = {
  all: (tenantId: string) => ["team", tenantId] as const,
  members: (tenantId: string) => [...teamKeys.all(tenantId), "members"] as const,
  departments: (tenantId: string) => [...teamKeys.all(tenantId), "departments"] as const,
  departmentMembers: (tenantId: string) => [...teamKeys.all(tenantId), "department-members"] as const,
  channels: (tenantId: string) => [...teamKeys.all(tenantId), "channels"] as const,
};

const rarely = 5 * 60_000;

export const membersQuery = (tenantId: string) =>
  queryOptions({
    queryKey: teamKeys.members(tenantId),
    queryFn: () =>
      rows<Member[]>(
        supabase().from("members").select("tenant_id,user_id,role,display_name").eq("tenant_id", tenantId)
          .order("display_name"),
      ),
    staleTime: rarely,
  });

export const departmentsQuery = (tenantId: string) =>
  queryOptions({
    queryKey: teamKeys.departments(tenantId),
    queryFn: () =>
      rows<Department[]>(supabase().from("departments").select("id,tenant_id,name").eq("tenant_id", tenantId).order("name")),
    staleTime: rarely,
  });

export const departmentMembersQuery = (tenantId: string) =>
  queryOptions({
    queryKey: teamKeys.departmentMembers(tenantId),
    queryFn: () =>
      rows<DepartmentMember[]>(
        supabase().from("department_members").select("department_id,tenant_id,user_id").eq("tenant_id", tenantId),
      ),
    staleTime: rarely,
  });

export const channelsQuery = (tenantId: string) =>
  queryOptions({
    queryKey: teamKeys.channels(tenantId),
    queryFn: () =>
      rows<Channel[]>(supabase().from("channels").select("id,name,provider,status").eq("tenant_id", tenantId).order("name")),
    staleTime: rarely,
  });
