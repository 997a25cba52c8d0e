// The admins' pages behind one gate: anyone else who opens their URL gets the "not allowed" page, and no data is
// asked for (the functions and RLS refuse it anyway).
import type { ReactNode } from "react";
import { NotAllowed } from "../../components/NotAllowed";
import { useI18n } from "../../lib/i18n";
import { useMe } from "../auth/me";

export const canAdminister = (role: string) => role === "admin";

export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  if (canAdminister(me.role)) return children;
  return <NotAllowed reason={t("notAllowed.admins")} />;
}
