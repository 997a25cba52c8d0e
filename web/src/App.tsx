// The app: i18n, the query cache, toasts; then sign-in or the console of the signed-in member.
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import type { Session } from "@supabase/supabase-js";
import { useState } from "react";
import { ErrorText } from "./components/ErrorText";
import { Toaster } from "./components/Toaster";
import { Console } from "./Console";
import { toAppError } from "./lib/errors";
import { I18nProvider, useI18n } from "./lib/i18n";
import { supabase } from "./lib/supabase";
import { meOf } from "./features/auth/me";
import { membershipQuery } from "./features/auth/queries";
import { useSession } from "./features/auth/session";
import { SignIn } from "./features/auth/SignIn";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // realtime and the sync engine keep data current; focus and reconnect refetches would only add load
      queries: { refetchOnWindowFocus: false, refetchOnReconnect: false, retry: 2 },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <Toaster>
          <Gate />
        </Toaster>
      </QueryClientProvider>
    </I18nProvider>
  );
}

function Gate() {
  const { t } = useI18n();
  const session = useSession();
  if (session.status === "loading") return <p className="muted pad" aria-busy="true">{t("common.loading")}</p>;
  if (session.status === "signed-out") return <SignIn />;
  return <Membership session={session.session} />;
}

function Membership({ session }: { session: Session }) {
  const { t } = useI18n();
  const membership = useQuery(membershipQuery(session.user.id));
  if (membership.isPending) return <p className="muted pad" aria-busy="true">{t("common.loading")}</p>;
  if (membership.isError || !membership.data) {
    return (
      <main className="sign-in">
        <div className="card">
          {membership.isError ? <ErrorText error={toAppError(membership.error)} /> : <p role="alert">{t("auth.noMembership")}</p>}
          <button type="button" className="secondary" onClick={() => void supabase().auth.signOut()}>{t("auth.signOut")}</button>
        </div>
      </main>
    );
  }
  return <Console key={session.user.id} me={meOf(membership.data)} />;
}
