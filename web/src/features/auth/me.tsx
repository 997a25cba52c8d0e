// The signed-in member, available to every part of the console.
import { createContext, useContext } from "react";
import type { Member } from "../../lib/types";

export interface Me {
  userId: string;
  tenantId: string;
  name: string;
  role: Member["role"];
  /** Managers (and admins) also see inboxes by department and by agent, and can move conversations between departments. */
  isManager: boolean;
  /** Admins alone set up channels and members. */
  isAdmin: boolean;
}

export function meOf(member: Member): Me {
  return {
    userId: member.user_id,
    tenantId: member.tenant_id,
    name: member.display_name,
    role: member.role,
    isManager: member.role === "manager" || member.role === "admin",
    isAdmin: member.role === "admin",
  };
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe needs the signed-in console");
  return me;
}
