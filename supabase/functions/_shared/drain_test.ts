import { deepStrictEqual, equal } from "node:assert/strict";
import { drainQueue, type DrainSteps } from "./drain.ts";
import type { QueueJob } from "./queue.ts";

const job = (id: number): QueueJob => ({
  id,
  kind: "inbound_event",
  dedupe_key: `k${id}`,
  ordering_key: null,
  payload: {},
  attempts: 1,
  max_attempts: 5,
  correlation_id: null,
});

/** A queue that answers claims and "how long until the next job" from scripts, recording what ran. */
function scripted(claims: QueueJob[][], waits: (number | null)[]) {
  const ran: number[] = [];
  let claimsMade = 0;
  const steps: DrainSteps = {
    claim: () => Promise.resolve(claims[claimsMade++] ?? []),
    msUntilNextJob: () => Promise.resolve(waits.length ? waits.shift()! : null),
    runBatch: (jobs) => {
      ran.push(...jobs.map((j) => j.id));
      return Promise.resolve({ completed: jobs.length, failed: 0 });
    },
  };
  return { steps, ran, claims: () => claimsMade };
}

Deno.test("a job that comes due between an empty claim and the wait question still runs in this run", async () => {
  // The claim finds nothing; by the time the processor asks, the retry is due, so no future job is left.
  const q = scripted([[], [job(7)]], [null]);
  const result = await drainQueue(q.steps, 5_000);
  deepStrictEqual(q.ran, [7]);
  equal(result.processed, 1);
});

Deno.test("with nothing due and nothing coming, a run stops after one more look", async () => {
  const q = scripted([], [null, null]);
  const result = await drainQueue(q.steps, 5_000);
  equal(q.claims(), 2);
  deepStrictEqual(result, { processed: 0, failed: 0, batches: 0 });
});

Deno.test("a retry due within moments is waited for; one due later is left to a later run", async () => {
  const soon = scripted([[], [job(1)]], [20]);
  await drainQueue(soon.steps, 5_000);
  deepStrictEqual(soon.ran, [1]);

  const later = scripted([[], [], [job(2)]], [60_000, 60_000]);
  await drainQueue(later.steps, 5_000);
  deepStrictEqual(later.ran, [], "a retry a minute away is not waited for");
  equal(later.claims(), 2);
});

Deno.test("batches run until the queue is empty, counting what completed", async () => {
  const q = scripted([[job(1), job(2)], [job(3)]], []);
  const result = await drainQueue(q.steps, 5_000);
  deepStrictEqual(q.ran, [1, 2, 3]);
  deepStrictEqual(result, { processed: 3, failed: 0, batches: 2 });
});
