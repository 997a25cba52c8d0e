// Stores a webhook's normalised events in the queue with one statement: durable before we answer 200, and
// deduplicated by key, so a provider's redelivery is accepted and dropped. Webhooks arriving together share that
// statement (coalesce.ts), so a burst costs the database one commit per handful of webhooks, not one each.
import { type BatchWrite, coalesce } from "./coalesce.ts";
import type { Sql } from "./db.ts";
import type { InboundEvent } from "./inbound.ts";
import type { WebhookChannel } from "./channels.ts";
import { HttpError } from "./errors.ts";
import { json } from "./http.ts";
import { kickAfterResponse } from "./kick.ts";
import { log, logError } from "./log.ts";
import type { Normalised } from "./providers/result.ts";

export interface QueuedEvent {
  event: InboundEvent;
  ordering_key: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

export const INBOUND_KIND = "inbound_event";

type Job = Record<string, unknown>;

/**
 * Enqueue statements running at once per connection pool; webhooks arriving meanwhile share the next one. One is
 * the most a burst gets through: each commit waits for its own WAL flush, and a second statement's flush queues
 * behind the first, so two lanes paid two flushes for the batches one lane carries in one (2-core bench: 56-62 %
 * of pgbench's rate with one, 35-50 % with two, the same p99 at 1,000/s).
 */
const ENQUEUES_IN_FLIGHT = Number(Deno.env.get("ATENDE_ENQUEUES_IN_FLIGHT") ?? 1);
/** A Cloud API batch may carry hundreds of events; past this many a statement takes no more webhooks. */
const ENQUEUE_MAX_JOBS = 500;

const writers = new WeakMap<Sql, BatchWrite<Job, { inserted: boolean }>>();

function enqueueWriter(sql: Sql): BatchWrite<Job, { inserted: boolean }> {
  let write = writers.get(sql);
  if (!write) {
    write = coalesce(
      (jobs) =>
        sql<{ inserted: boolean }[]>`select inserted from app.enqueue_batch(${sql.json(jobs as never)})`,
      { maxInFlight: ENQUEUES_IN_FLIGHT, maxItems: ENQUEUE_MAX_JOBS },
    );
    writers.set(sql, write);
  }
  return write;
}

export async function enqueueEvents(
  sql: Sql,
  channel: WebhookChannel,
  events: QueuedEvent[],
): Promise<IngestResult> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const jobs: Job[] = events.map(({ event, ordering_key }) => ({
    kind: INBOUND_KIND,
    // Provider ids are unique per channel, not platform-wide.
    dedupe_key: `${channel.channel_id}:${event.dedupe_key}`,
    ordering_key: `${channel.channel_id}:${ordering_key}`,
    payload: { channel_id: channel.channel_id, event },
    correlation_id: event.type === "message" || event.type === "status" ? event.provider_message_id : null,
    // Known here, so the queue's owner trigger need not look the channel up.
    tenant_id: channel.tenant_id,
    channel_id: channel.channel_id,
  }));
  let rows: { inserted: boolean }[];
  try {
    rows = await enqueueWriter(sql)(jobs);
  } catch (e) {
    logError({ fn: "ingest", channel: channel.channel_id }, e);
    // Not stored: a 5xx makes the provider deliver it again.
    throw new HttpError(503, "not_stored", "The event could not be stored; please retry.");
  }
  const accepted = rows.filter((r) => r.inserted).length;
  return { accepted, duplicates: rows.length - accepted };
}

/**
 * The answer to an authenticated webhook: its events for this channel are stored (events naming another number
 * of the same app count as ignored), what was ignored is logged, and the processor is kicked after the response.
 */
export async function acceptWebhook(sql: Sql, channel: WebhookChannel, normalised: Normalised, fn: string) {
  const mine = normalised.events.filter((e) => e.channel_key === channel.external_id);
  const result = await enqueueEvents(sql, channel, mine);
  if (normalised.ignored.length) {
    log({ fn, channel: channel.channel_id, ignored: normalised.ignored.map((i) => i.reason) });
  }
  if (result.accepted > 0) kickAfterResponse();
  return json({ ...result, ignored: normalised.ignored.length + normalised.events.length - mine.length });
}
