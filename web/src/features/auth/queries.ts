// Who the signed-in person is in the tenant: their membership row (tenant, role, display name).
import { queryOptions } from "@tanstack/react-query";
import { rows } from "../../lib/rest";
import { supabase } from "../../lib/supabase";
import type { Member } from "../../lib/types";

export const authKeys = {
  membership: (userId: string) => ["auth", userId, "membership"] as const,
};

/** A person in several tenants works in the oldest one (the console serves one tenant at a time). */
export const membershipQuery = (userId: string) =>
  queryOptions({
    queryKey: authKeys.membership(userId),
    queryFn: async () => {
      const [member] = await rows<Member[]>(
        supabase().from("members").select("tenant_id,user_id,role,display_name").eq("user_id", userId)
          .order("created_at").limit(1),
      );
      return member ?? null;
    },
    staleTime: Infinity,
  });
