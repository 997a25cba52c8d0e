// Starts the sync engine for the signed-in member and hands it to the threads that open conversation topics.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { supabase } from "../lib/supabase";
import type { ChangeEvent } from "../lib/types";
import { SyncEngine } from "./sync";

const SyncContext = createContext<SyncEngine | null>(null);

export function RealtimeProvider(
  { tenantId, me, onNotice, children }: {
    tenantId: string;
    me: string;
    onNotice: (event: ChangeEvent) => void;
    children: ReactNode;
  },
) {
  const queryClient = useQueryClient();
  const notice = useRef(onNotice);
  useEffect(() => {
    notice.current = onNotice;
  }, [onNotice]);
  const [engine, setEngine] = useState<SyncEngine | null>(null);
  useEffect(() => {
    const started = new SyncEngine(supabase(), queryClient, {
      tenantId,
      me,
      onNotice: (event) => notice.current(event),
    });
    started.start();
    setEngine(started);
    return () => started.stop();
  }, [queryClient, tenantId, me]);
  return engine ? <SyncContext.Provider value={engine}>{children}</SyncContext.Provider> : null;
}

export function useSyncEngine(): SyncEngine {
  const engine = useContext(SyncContext);
  if (!engine) throw new Error("useSyncEngine needs a RealtimeProvider");
  return engine;
}
