import { type ReactNode, Suspense } from "react";
import { useI18n } from "../lib/i18n";
import { routeHref } from "../lib/router";

/** What a member sees at the address of a page their role does not open: a clear refusal, never the data. */
export function NotAllowed({ reason }: { reason: string }) {
  const { t } = useI18n();
  return (
    <main className="not-allowed">
      <section className="card" role="alert" aria-labelledby="not-allowed-title">
        <h1 id="not-allowed-title">{t("notAllowed.title")}</h1>
        <p className="muted">{reason}</p>
        <a href={routeHref({ view: "inbox", conversationId: null })}>{t("notAllowed.back")}</a>
      </section>
    </main>
  );
}

/**
 * A page only some roles open: for anyone else the refusal, and the page's code is never loaded nor its data
 * asked for (the functions and RLS refuse it anyway).
 */
export function RoleGate({ allowed, reason, children }: { allowed: boolean; reason: string; children: ReactNode }) {
  const { t } = useI18n();
  if (!allowed) return <NotAllowed reason={reason} />;
  return <Suspense fallback={<p className="muted pad">{t("common.loading")}</p>}>{children}</Suspense>;
}
