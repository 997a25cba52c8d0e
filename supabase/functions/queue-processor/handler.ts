// Drains the queue in batches until it is empty or the time budget ends. Invoked every minute by pg_cron and
// kicked by the webhooks right after an ingestion; several runs may overlap safely, because claims skip what
// another run holds and never hand out two events of one conversation at once.
import { requireServiceRole } from "../_shared/auth.ts";
import { db, type Sql } from "../_shared/db.ts";
import { json, serve } from "../_shared/http.ts";
import { INBOUND_KIND } from "../_shared/ingest.ts";
import { logError } from "../_shared/log.ts";
import { drainQueue } from "../_shared/drain.ts";
import { claim, complete, fail, type JobFailure, msUntilNextJob, type QueueJob } from "../_shared/queue.ts";
import { OUTBOUND_KIND, runOutbound } from "../_shared/send.ts";

const BATCH_SIZE = Number(Deno.env.get("ATENDE_PROCESSOR_BATCH") ?? 100);
const LEASE_SECONDS = Number(Deno.env.get("ATENDE_PROCESSOR_LEASE_SECONDS") ?? 60);
const BUDGET_MS = Number(Deno.env.get("ATENDE_PROCESSOR_BUDGET_MS") ?? 25_000);
const GATHER_MS = Number(Deno.env.get("ATENDE_PROCESSOR_GATHER_MS") ?? 25);

type JobRunner = (sql: Sql, job: QueueJob) => Promise<void>;

/** Jobs run one by one from TypeScript; inbound events are applied in SQL, a whole batch per transaction. */
const runners: Record<string, JobRunner> = {
  [OUTBOUND_KIND]: runOutbound,
};

async function runJob(sql: Sql, job: QueueJob): Promise<JobFailure | null> {
  const runner = runners[job.kind];
  if (!runner) return { id: job.id, error: `no runner for kind ${job.kind}`, retryable: false };
  try {
    await runner(sql, job);
    return null;
  } catch (e) {
    logError({ fn: "queue-processor", job: job.id, kind: job.kind }, e);
    return { id: job.id, error: e instanceof Error ? e.message : String(e), retryable: true };
  }
}

/** Runs one claimed batch; returns how many jobs completed and failed. */
async function runBatch(sql: Sql, jobs: QueueJob[]): Promise<{ completed: number; failed: number }> {
  const inbound = jobs.filter((j) => j.kind === INBOUND_KIND).map((j) => j.id);
  const others = jobs.filter((j) => j.kind !== INBOUND_KIND);
  const [applied, failures] = await Promise.all([
    inbound.length
      ? sql<
        { r: { completed: number; failed: number } }[]
      >`select app.apply_inbound_batch(${inbound}::bigint[]) as r`
        .then(([row]) => row.r)
      : { completed: 0, failed: 0 },
    // A batch never holds two jobs of one conversation, so its jobs may run side by side.
    Promise.all(others.map((job) => runJob(sql, job))).then((all) => all.filter((f) => f !== null)),
  ]);
  const failedIds = new Set(failures.map((f) => f.id));
  await complete(sql, others.filter((j) => !failedIds.has(j.id)).map((j) => j.id));
  await fail(sql, failures);
  return {
    completed: applied.completed + others.length - failures.length,
    failed: applied.failed + failures.length,
  };
}

export function drain(sql: Sql, budgetMs = BUDGET_MS) {
  return drainQueue({
    claim: () => claim(sql, BATCH_SIZE, LEASE_SECONDS),
    msUntilNextJob: () => msUntilNextJob(sql),
    runBatch: (jobs) => runBatch(sql, jobs),
  }, { budgetMs, batchSize: BATCH_SIZE, gatherMs: GATHER_MS, gathers: INBOUND_KIND });
}

export const handler = serve("queue-processor", async (req) => {
  requireServiceRole(req);
  const started = Date.now();
  const sql = db();
  const result = await drain(sql);
  const ms = Date.now() - started;
  // /health reads this: a processor that stops finishing runs is a failing check. A pause is told to the caller,
  // so webhooks stop kicking a processor that will claim nothing (kick.ts).
  const [{ paused_until }] = await sql<{ paused_until: Date | null }[]>`
    select app.record_processor_run(${result.processed}, ${result.failed}, ${ms}),
      (select s.paused_until from app.queue_settings s where s.paused_until > now()) as paused_until`;
  return json({ ...result, ms, paused_until });
});
