// The platform's figures (app.metrics()) as Prometheus metric families. Tenants are not labels: /metrics is the
// operator's view; each tenant's managers have their cards.
import type { Sql } from "./db.ts";
import { histogramSamples, type MetricFamily } from "./prometheus.ts";

interface QueueFigures {
  kind: string;
  waiting: number;
  retrying: number;
  dead: number;
  completed: number;
  failed: number;
  dead_lettered: number;
  latency_ms_sum: number;
  latency_buckets: number[];
}

export interface PlatformFigures {
  queue: QueueFigures[];
  webhooks: { provider: string; status: number; requests: number }[];
  latency_bucket_bounds_ms: number[];
  health: { queue_lag_seconds: number; processor_last_run_at: string | null };
}

export async function readPlatformFigures(sql: Sql): Promise<PlatformFigures> {
  const [{ figures }] = await sql<{ figures: PlatformFigures }[]>`select app.metrics() as figures`;
  return figures;
}

const perKind = (queue: QueueFigures[], value: (q: QueueFigures) => number) =>
  queue.map((q) => ({ labels: { kind: q.kind }, value: Number(value(q)) }));

export function metricFamilies(f: PlatformFigures): MetricFamily[] {
  const lastRun = f.health.processor_last_run_at;
  return [
    {
      name: "atende_queue_depth",
      help:
        "Jobs in the queue (queued: no failure yet; retrying: failed before) and dead letters awaiting a decision.",
      type: "gauge",
      samples: f.queue.flatMap((q) => [
        { labels: { kind: q.kind, status: "queued" }, value: Number(q.waiting) - Number(q.retrying) },
        { labels: { kind: q.kind, status: "retrying" }, value: Number(q.retrying) },
        { labels: { kind: q.kind, status: "dead_letter" }, value: Number(q.dead) },
      ]),
    },
    {
      name: "atende_queue_processed_total",
      help: "Jobs completed.",
      type: "counter",
      samples: perKind(f.queue, (q) => q.completed),
    },
    {
      name: "atende_queue_failed_total",
      help: "Failed attempts, whether retried or dead-lettered.",
      type: "counter",
      samples: perKind(f.queue, (q) => q.failed),
    },
    {
      name: "atende_queue_dead_lettered_total",
      help: "Jobs moved to the dead letters.",
      type: "counter",
      samples: perKind(f.queue, (q) => q.dead_lettered),
    },
    {
      name: "atende_webhook_requests_total",
      help: "Webhook requests by provider and HTTP status.",
      type: "counter",
      samples: f.webhooks.map((w) => ({
        labels: { provider: w.provider, status: String(w.status) },
        value: Number(w.requests),
      })),
    },
    {
      name: "atende_queue_processing_latency_seconds",
      help: "Time from enqueue to completion of completed jobs.",
      type: "histogram",
      samples: f.queue.filter((q) => q.latency_buckets.length).flatMap((q) =>
        histogramSamples(
          { kind: q.kind },
          f.latency_bucket_bounds_ms.map((ms) => ms / 1000),
          q.latency_buckets.map(Number),
          Number(q.latency_ms_sum) / 1000,
        )
      ),
    },
    {
      name: "atende_queue_lag_seconds",
      help: "How long the oldest due job has waited for a processor.",
      type: "gauge",
      samples: [{ value: Number(f.health.queue_lag_seconds) }],
    },
    {
      name: "atende_processor_last_run_timestamp_seconds",
      help: "When the queue processor last finished a run (Unix time; 0 if never).",
      type: "gauge",
      samples: [{ value: lastRun ? new Date(lastRun).getTime() / 1000 : 0 }],
    },
  ];
}
