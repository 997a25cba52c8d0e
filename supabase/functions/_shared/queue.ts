// The processor's view of the queue: claim a batch, then complete and fail in batches (SQL owns the rules:
// ordering per conversation, leases, backoff, dead letters).
import type { Sql } from "./db.ts";

export interface QueueJob {
  id: number;
  kind: string;
  dedupe_key: string;
  ordering_key: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  correlation_id: string | null;
}

export interface JobFailure {
  id: number;
  error: string;
  retryable: boolean;
}

export function claim(sql: Sql, batchSize: number, leaseSeconds: number): Promise<QueueJob[]> {
  return sql<QueueJob[]>`
    select id::int, kind, dedupe_key, ordering_key, payload, attempts, max_attempts, correlation_id
    from app.claim(${batchSize}, ${leaseSeconds})`;
}

export async function complete(sql: Sql, ids: number[]): Promise<void> {
  if (ids.length) await sql`select app.complete(${ids}::bigint[])`;
}

export async function fail(sql: Sql, failures: JobFailure[]): Promise<void> {
  if (failures.length) await sql`select * from app.fail(${sql.json(failures as never)})`;
}

/** Milliseconds until the next job becomes claimable (a retry's backoff or a lease running out), if any. */
export async function msUntilNextJob(sql: Sql): Promise<number | null> {
  const [{ ms }] = await sql<{ ms: number | null }[]>`
    select (extract(epoch from min(greatest(scheduled_at, coalesce(leased_until, scheduled_at)) - now())) * 1000)::float8
      as ms
    from app.message_queue
    where greatest(scheduled_at, coalesce(leased_until, scheduled_at)) > now()
      -- while paused nothing is due: answered without reading the queue
      and not exists (select from app.queue_settings s where s.paused_until > now())`;
  return ms === null ? null : Math.max(0, ms);
}
