// Finds the channel a webhook is for, with the secrets it is checked against. Cached briefly per isolate so a
// webhook costs one database round trip (the enqueue) in the steady state; a rotated secret is seen within
// the cache's lifetime.
import type { Sql } from "./db.ts";

export interface WebhookChannel {
  channel_id: string;
  tenant_id: string;
  provider: "evolution" | "cloud";
  external_id: string;
  status: string;
  webhook_secret: string | null;
  app_secret: string | null;
  verify_token: string | null;
}

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; channel: WebhookChannel | null }>();

export async function findWebhookChannel(
  sql: Sql,
  provider: WebhookChannel["provider"],
  key: string,
): Promise<WebhookChannel | null> {
  const cacheKey = `${provider}:${key}`;
  const hit = cache.get(cacheKey);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.channel;
  const [row] = await sql<WebhookChannel[]>`select * from app.channel_for_webhook(${provider}, ${key})`;
  const channel = row ?? null;
  cache.set(cacheKey, { at: Date.now(), channel });
  return channel;
}

/** Forgets cached channels, so a test that changes a secret sees it at once. */
export function forgetChannels(): void {
  cache.clear();
}
