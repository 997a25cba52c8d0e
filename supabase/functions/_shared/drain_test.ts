import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { drainQueue, type DrainSteps } from "./drain.ts";
import type { QueueJob } from "./queue.ts";

const job = (id: number, kind = "inbound_event"): QueueJob => ({
  id,
  kind,
  dedupe_key: `k${id}`,
  ordering_key: null,
  payload: {},
  attempts: 1,
  max_attempts: 5,
  correlation_id: null,
});

const options = { budgetMs: 5_000, batchSize: 100, gatherMs: 0, gathers: "inbound_event" };

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
  const result = await drainQueue(q.steps, options);
  deepStrictEqual(q.ran, [7]);
  equal(result.processed, 1);
});

Deno.test("with nothing due and nothing coming, a run stops after one more look", async () => {
  const q = scripted([], [null, null]);
  const result = await drainQueue(q.steps, options);
  equal(q.claims(), 2);
  deepStrictEqual(result, { processed: 0, failed: 0, batches: 0 });
});

Deno.test("a retry due within moments is waited for; one due later is left to a later run", async () => {
  const soon = scripted([[], [job(1)]], [20]);
  await drainQueue(soon.steps, options);
  deepStrictEqual(soon.ran, [1]);

  const later = scripted([[], [], [job(2)]], [60_000, 60_000]);
  await drainQueue(later.steps, options);
  deepStrictEqual(later.ran, [], "a retry a minute away is not waited for");
  equal(later.claims(), 2);
});

Deno.test("batches run until the queue is empty, counting what completed", async () => {
  const q = scripted([[job(1), job(2)], [job(3)]], []);
  const result = await drainQueue(q.steps, options);
  deepStrictEqual(q.ran, [1, 2, 3]);
  deepStrictEqual(result, { processed: 3, failed: 0, batches: 2 });
});

Deno.test("while events keep arriving the next claim waits to gather more; a lone event is not held back", async () => {
  const claimedAt = (claims: QueueJob[][], gatherMs: number) => {
    const at: number[] = [];
    const q = scripted(claims, []);
    const claim = q.steps.claim;
    q.steps.claim = () => {
      at.push(performance.now());
      return claim();
    };
    return drainQueue(q.steps, { ...options, gatherMs }).then(() => at[1] - at[0]);
  };
  ok(await claimedAt([[job(1), job(2)], [job(3)]], 50) >= 45, "two events in a claim: wait for more");
  ok(await claimedAt([[job(1)], [job(2)]], 10_000) < 5_000, "one event in a claim: claim again at once");
  ok(
    await claimedAt([Array.from({ length: 100 }, (_, i) => job(i)), [job(100)]], 10_000) < 5_000,
    "a full batch",
  );
  ok(
    await claimedAt([[job(1, "outbound_message"), job(2, "outbound_message")], [job(3)]], 10_000) < 5_000,
    "two sends: claim again at once",
  );
});
