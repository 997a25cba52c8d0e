// The deployment tells the app where its backend is through /config.json, so one build serves any stack.
export interface RuntimeConfig {
  supabaseUrl: string;
  anonKey: string;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as Partial<RuntimeConfig>;
  if (typeof config.supabaseUrl !== "string" || typeof config.anonKey !== "string") {
    throw new Error("/config.json must hold supabaseUrl and anonKey");
  }
  return { supabaseUrl: config.supabaseUrl, anonKey: config.anonKey };
}
