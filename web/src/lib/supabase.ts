// The one supabase-js client, created at boot from the runtime config.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { backoffDelay } from "../sync/backoff";
import type { RuntimeConfig } from "./config";
import { reportHeartbeat } from "../realtime/connection";

let client: SupabaseClient | undefined;

export function initSupabase(config: RuntimeConfig): SupabaseClient {
  client = createClient(config.supabaseUrl, config.anonKey, {
    auth: { persistSession: true, autoRefreshToken: true },
    realtime: {
      reconnectAfterMs: (tries: number) => backoffDelay(tries),
      heartbeatIntervalMs: 15_000,
      heartbeatCallback: reportHeartbeat,
    },
  });
  return client;
}

export function supabase(): SupabaseClient {
  if (!client) throw new Error("the Supabase client is created at boot, before anything renders");
  return client;
}
