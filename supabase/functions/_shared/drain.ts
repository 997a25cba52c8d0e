// The processor's loop: claim a batch, run it, and again, until nothing is due or the time budget ends. After a
// claim finds nothing, a job due within MAX_IDLE_WAIT_MS (a retry's backoff, a lease running out) is waited for in
// this run rather than left to the next cron tick. Before stopping, one more claim: a job may have come due between
// the empty claim and the question "how long until the next one?", which only sees jobs still in the future.
// While events keep arriving (a claim took several, but fewer than a full batch), the next claim waits `gatherMs`
// for more: applying twenty events in one transaction costs far less than twenty transactions of one, and a lone
// event (a claim of one) is never held back. Only jobs applied together gather (`gathers`): sends go out one by
// one, so waiting would only delay them.
import type { QueueJob } from "./queue.ts";

export interface DrainSteps {
  claim(): Promise<QueueJob[]>;
  msUntilNextJob(): Promise<number | null>;
  runBatch(jobs: QueueJob[]): Promise<{ completed: number; failed: number }>;
}

const MAX_IDLE_WAIT_MS = 2_000;

export interface DrainOptions {
  budgetMs: number;
  batchSize: number;
  gatherMs: number;
  /** The kind of job applied a batch per transaction, the one worth gathering. */
  gathers: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function drainQueue(
  steps: DrainSteps,
  { budgetMs, batchSize, gatherMs, gathers }: DrainOptions,
) {
  const deadline = Date.now() + budgetMs;
  let processed = 0, failed = 0, batches = 0;
  let lookedAgain = false;
  while (Date.now() < deadline) {
    const jobs = await steps.claim();
    if (jobs.length === 0) {
      const wait = await steps.msUntilNextJob();
      if (wait !== null && wait <= MAX_IDLE_WAIT_MS && Date.now() + wait < deadline) {
        await sleep(Math.max(wait, 10));
      } else if (lookedAgain) {
        break;
      } else {
        lookedAgain = true;
        continue;
      }
    } else {
      batches++;
      const result = await steps.runBatch(jobs);
      processed += result.completed;
      failed += result.failed;
      const gathered = jobs.filter((j) => j.kind === gathers).length;
      if (gathered > 1 && jobs.length < batchSize) await sleep(Math.min(gatherMs, deadline - Date.now()));
    }
    lookedAgain = false;
  }
  return { processed, failed, batches };
}
