// The signed-in session as supabase-js keeps it (it refreshes the token by itself and tells us).
import type { Session } from "@supabase/supabase-js";
import { useEffect, useState } from "react";
import { supabase } from "../../lib/supabase";

export type SessionState = { status: "loading" } | { status: "signed-out" } | { status: "signed-in"; session: Session };

export function useSession(): SessionState {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  useEffect(() => {
    const auth = supabase().auth;
    const apply = (session: Session | null) =>
      setState((previous) => {
        if (!session) return { status: "signed-out" };
        // a token refresh keeps the same person signed in: only a change of user re-renders the console
        if (previous.status === "signed-in" && previous.session.user.id === session.user.id) return previous;
        return { status: "signed-in", session };
      });
    void auth.getSession().then(({ data }) => apply(data.session));
    const { data } = auth.onAuthStateChange((_event, session) => apply(session));
    return () => data.subscription.unsubscribe();
  }, []);
  return state;
}
