// Counts webhook requests by provider, channel and HTTP status for the channel cards and /metrics, without adding a
// round trip to the webhook: counts gather in this isolate's memory and one statement flushes them about a second
// later, in the background (EdgeRuntime.waitUntil keeps the isolate alive for it). Accepted events are counted by
// the queue itself; this is what the queue never sees: rejected requests, duplicates, handshakes.
import { db } from "./db.ts";
import type { Handler } from "./http.ts";
import { logError } from "./log.ts";

export type WebhookProvider = "evolution" | "cloud";

interface Count {
  provider: WebhookProvider;
  channel_id: string | null;
  status: number;
  requests: number;
  last_at: string;
}

const FLUSH_MS = Number(Deno.env.get("ATENDE_WEBHOOK_STATS_FLUSH_MS") ?? 1000);

const pending = new Map<string, Count>();
const channelOf = new WeakMap<Request, string>();
let flushing: Promise<void> | null = null;

declare const EdgeRuntime: { waitUntil(p: Promise<unknown>): void } | undefined;

/** Called by a webhook once it knows which channel the request is for. */
export function noteWebhookChannel(req: Request, channelId: string): void {
  channelOf.set(req, channelId);
}

/** Wraps a webhook's (already `serve`d) handler so every answer is counted. */
export function countWebhooks(provider: WebhookProvider, handler: Handler): Handler {
  return async (req) => {
    const res = await handler(req);
    add({
      provider,
      channel_id: channelOf.get(req) ?? null,
      status: res.status,
      requests: 1,
      last_at: new Date().toISOString(),
    });
    return res;
  };
}

function add(count: Count): void {
  const key = `${count.provider}|${count.channel_id ?? ""}|${count.status}`;
  const seen = pending.get(key);
  if (seen) {
    seen.requests += count.requests;
    if (count.last_at > seen.last_at) seen.last_at = count.last_at;
  } else {
    pending.set(key, count);
  }
  scheduleFlush();
}

function scheduleFlush(): void {
  if (flushing) return;
  flushing = new Promise((resolve) => setTimeout(resolve, FLUSH_MS))
    .then(flush)
    .finally(() => {
      flushing = null;
      if (pending.size) scheduleFlush();
    });
  if (typeof EdgeRuntime !== "undefined") EdgeRuntime.waitUntil(flushing);
}

async function flush(): Promise<void> {
  const counts = [...pending.values()];
  pending.clear();
  try {
    await db()`select app.record_webhook_requests(${db().json(counts as never)})`;
  } catch (e) {
    logError({ fn: "webhook-stats", counts: counts.length }, e);
    // Kept for the next flush rather than lost.
    for (const count of counts) add(count);
  }
}
