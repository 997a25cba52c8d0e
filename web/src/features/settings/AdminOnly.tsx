// The admins' pages behind one gate: anyone else who opens their URL gets a plain "not allowed" page, and no data
// is asked for (the functions and RLS refuse it anyway).
import type { ReactNode } from "react";
import { useI18n } from "../../lib/i18n";
import { routeHref } from "../../lib/router";
import { useMe } from "../auth/me";

export const canAdminister = (role: string) => role === "admin";

export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  if (canAdminister(me.role)) return children;
  return (
    <main className="settings-page not-allowed">
      <section className="card stack" aria-labelledby="not-allowed-title">
        <h1 id="not-allowed-title">{t("settings.notAllowed")}</h1>
        <p className="muted">{t("settings.notAllowedText")}</p>
        <p><a href={routeHref({ view: "inbox", conversationId: null })}>{t("settings.backToInbox")}</a></p>
      </section>
    </main>
  );
}
