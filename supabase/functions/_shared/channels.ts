// Finds the channel a webhook is for, with the secrets it is checked against. Cached briefly per isolate so a
// webhook costs one database round trip (the enqueue) in the steady state. A request the cached row refuses (an
// unknown channel, a wrong secret) is checked once more against a fresh read before it is refused, so a channel
// created or a secret rotated a moment ago works at once; concurrent refusals of one key share one read. The other
// way round is bounded by the cache: a secret rotated away without grace may still pass on a warm isolate for up
// to TTL_MS.
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
  /** The secret a rotation replaced, while its grace lasts (null otherwise). */
  previous_webhook_secret: string | null;
  previous_app_secret: string | null;
  previous_secret_expires_at: Date | null;
}

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; channel: WebhookChannel | null }>();
const refreshing = new Map<string, Promise<WebhookChannel | null>>();

async function read(
  sql: Sql,
  provider: WebhookChannel["provider"],
  key: string,
): Promise<WebhookChannel | null> {
  const [row] = await sql<WebhookChannel[]>`select * from app.channel_for_webhook(${provider}, ${key})`;
  const channel = row ?? null;
  cache.set(`${provider}:${key}`, { at: Date.now(), channel });
  return channel;
}

export function findWebhookChannel(
  sql: Sql,
  provider: WebhookChannel["provider"],
  key: string,
  opts: { refresh?: boolean } = {},
): Promise<WebhookChannel | null> {
  const cacheKey = `${provider}:${key}`;
  const hit = cache.get(cacheKey);
  if (hit && !opts.refresh && Date.now() - hit.at < TTL_MS) return Promise.resolve(hit.channel);
  if (!opts.refresh) return read(sql, provider, key);
  let pending = refreshing.get(cacheKey);
  if (!pending) {
    pending = read(sql, provider, key).finally(() => refreshing.delete(cacheKey));
    refreshing.set(cacheKey, pending);
  }
  return pending;
}

/**
 * Finds the channel and runs `check` (a secret or signature check) against it: on the cached row first, then, if
 * that fails, on a fresh read. `channel` is null when no channel has this key; `result` is the last check's.
 */
export async function authenticateWebhook<T extends { ok: boolean }>(
  sql: Sql,
  provider: WebhookChannel["provider"],
  key: string,
  check: (channel: WebhookChannel) => Promise<T>,
): Promise<{ channel: WebhookChannel; result: T } | { channel: null; result: null }> {
  const cached = await findWebhookChannel(sql, provider, key);
  const first = cached ? await check(cached) : null;
  if (cached && first?.ok) return { channel: cached, result: first };
  const fresh = await findWebhookChannel(sql, provider, key, { refresh: true });
  if (!fresh) return { channel: null, result: null };
  if (fresh === cached && first) return { channel: cached, result: first };
  return { channel: fresh, result: await check(fresh) };
}

/** The secrets a webhook may carry now: the current one, and the one it replaced while the grace lasts. */
export function acceptedSecrets(channel: WebhookChannel, which: "webhook_secret" | "app_secret"): string[] {
  const previous = which === "webhook_secret" ? channel.previous_webhook_secret : channel.previous_app_secret;
  const graceLasts = channel.previous_secret_expires_at !== null &&
    new Date(channel.previous_secret_expires_at).getTime() > Date.now();
  return [channel[which], graceLasts ? previous : null].filter((s): s is string => !!s);
}

/** Forgets cached channels, so a test that changes a secret sees it at once. */
export function forgetChannels(): void {
  cache.clear();
}
