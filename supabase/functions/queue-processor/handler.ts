// Drains the queue in batches until it is empty or the time budget ends. Invoked every minute by pg_cron and
// kicked by the webhooks right after an ingestion; several runs may overlap safely, because claims skip what
// another run holds and never hand out two events of one conversation at once.
import { requireServiceRole } from "../_shared/auth.ts";
import { db, type Sql } from "../_shared/db.ts";
import { json, serve } from "../_shared/http.ts";
import { INBOUND_KIND } from "../_shared/ingest.ts";
import { logError } from "../_shared/log.ts";
import { claim, complete, fail, type JobFailure, msUntilNextJob, type QueueJob } from "../_shared/queue.ts";
import { OUTBOUND_KIND, runOutbound } from "../_shared/send.ts";

const BATCH_SIZE = Number(Deno.env.get("ATENDE_PROCESSOR_BATCH") ?? 100);
const LEASE_SECONDS = Number(Deno.env.get("ATENDE_PROCESSOR_LEASE_SECONDS") ?? 60);
const BUDGET_MS = Number(Deno.env.get("ATENDE_PROCESSOR_BUDGET_MS") ?? 25_000);

type JobRunner = (sql: Sql, job: QueueJob) => Promise<void>;

/** A failure whose cause will not go away by retrying (the job goes straight to dead letters). */
export class PermanentFailure extends Error {}

const runners: Record<string, JobRunner> = {
  [INBOUND_KIND]: async (sql, job) => {
    const { channel_id, event } = job.payload as { channel_id: string; event: unknown };
    await sql`select app.apply_inbound_event(${channel_id}::uuid, ${sql.json(event as never)})`;
  },
  [OUTBOUND_KIND]: runOutbound,
};

/** A retry due within this long is waited for in this run rather than left to the next cron tick. */
const MAX_IDLE_WAIT_MS = 2_000;

async function runJob(sql: Sql, job: QueueJob): Promise<JobFailure | null> {
  const runner = runners[job.kind];
  if (!runner) return { id: job.id, error: `no runner for kind ${job.kind}`, retryable: false };
  try {
    await runner(sql, job);
    return null;
  } catch (e) {
    logError({ fn: "queue-processor", job: job.id, kind: job.kind }, e);
    return {
      id: job.id,
      error: e instanceof Error ? e.message : String(e),
      retryable: !(e instanceof PermanentFailure),
    };
  }
}

export async function drain(sql: Sql, budgetMs = BUDGET_MS) {
  const deadline = Date.now() + budgetMs;
  let processed = 0, failed = 0, batches = 0;
  while (Date.now() < deadline) {
    const jobs = await claim(sql, BATCH_SIZE, LEASE_SECONDS);
    if (jobs.length === 0) {
      const wait = await msUntilNextJob(sql);
      if (wait === null || wait > MAX_IDLE_WAIT_MS || Date.now() + wait >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.max(wait, 10)));
      continue;
    }
    batches++;
    // A batch never holds two jobs of one conversation, so its jobs may run side by side.
    const failures = (await Promise.all(jobs.map((job) => runJob(sql, job)))).filter((f) => f !== null);
    const failedIds = new Set(failures.map((f) => f.id));
    await complete(sql, jobs.filter((j) => !failedIds.has(j.id)).map((j) => j.id));
    await fail(sql, failures);
    processed += jobs.length - failures.length;
    failed += failures.length;
  }
  return { processed, failed, batches };
}

export const handler = serve("queue-processor", async (req) => {
  requireServiceRole(req);
  const started = Date.now();
  const result = await drain(db());
  return json({ ...result, ms: Date.now() - started });
});
