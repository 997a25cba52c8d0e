// The deployment tells the app where its backend is through /config.json, so one build serves any stack.
export interface RuntimeConfig {
  supabaseUrl: string;
  anonKey: string;
}

declare global {
  interface Window {
    /** The request index.html starts before the app's code runs; taken once, so a retry fetches anew. */
    atendeConfig?: Promise<Response>;
  }
}

function takeEarlyRequest(): Promise<Response> | undefined {
  const early = window.atendeConfig;
  window.atendeConfig = undefined;
  return early;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const refetch = () => fetch("/config.json", { cache: "no-store" });
  const response = await (takeEarlyRequest()?.catch(refetch) ?? refetch());
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as Partial<RuntimeConfig>;
  if (typeof config.supabaseUrl !== "string" || typeof config.anonKey !== "string") {
    throw new Error("/config.json must hold supabaseUrl and anonKey");
  }
  return { supabaseUrl: config.supabaseUrl, anonKey: config.anonKey };
}
