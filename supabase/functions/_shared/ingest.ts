// Stores a webhook's normalised events in the queue with one statement: durable before we answer 200, and
// deduplicated by key, so a provider's redelivery is accepted and dropped.
import type { Sql } from "./db.ts";
import type { InboundEvent } from "./inbound.ts";
import type { WebhookChannel } from "./channels.ts";
import { HttpError } from "./errors.ts";
import { logError } from "./log.ts";

export interface QueuedEvent {
  event: InboundEvent;
  ordering_key: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

export const INBOUND_KIND = "inbound_event";

export async function enqueueEvents(
  sql: Sql,
  channel: WebhookChannel,
  events: QueuedEvent[],
): Promise<IngestResult> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const jobs = events.map(({ event, ordering_key }) => ({
    kind: INBOUND_KIND,
    // Provider ids are unique per channel, not platform-wide.
    dedupe_key: `${channel.channel_id}:${event.dedupe_key}`,
    ordering_key: `${channel.channel_id}:${ordering_key}`,
    payload: { channel_id: channel.channel_id, event },
    correlation_id: event.type === "message" || event.type === "status" ? event.provider_message_id : null,
  }));
  let rows: { inserted: boolean }[];
  try {
    rows = await sql<{ inserted: boolean }[]>`select inserted from app.enqueue_batch(${
      sql.json(jobs as never)
    })`;
  } catch (e) {
    logError({ fn: "ingest", channel: channel.channel_id }, e);
    // Not stored: a 5xx makes the provider deliver it again.
    throw new HttpError(503, "not_stored", "The event could not be stored; please retry.");
  }
  const accepted = rows.filter((r) => r.inserted).length;
  return { accepted, duplicates: rows.length - accepted };
}
