import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { coalesce } from "./coalesce.ts";

/** A write the test finishes by hand, recording what each call carried. */
function heldWrites() {
  const calls: { items: string[]; finish: () => void }[] = [];
  const write = (items: string[]) =>
    new Promise<string[]>((resolve) => {
      calls.push({ items, finish: () => resolve(items.map((i) => `stored ${i}`)) });
    });
  return { calls, write };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

Deno.test("a lone caller is written at once, alone", async () => {
  const { calls, write } = heldWrites();
  const enqueue = coalesce(write, { maxInFlight: 1, maxItems: 100 });
  const answer = enqueue(["a"]);
  equal(calls.length, 1);
  calls[0].finish();
  deepStrictEqual(await answer, ["stored a"]);
});

Deno.test("callers arriving during a write share the next one, and each hears back its own rows", async () => {
  const { calls, write } = heldWrites();
  const enqueue = coalesce(write, { maxInFlight: 1, maxItems: 100 });
  const first = enqueue(["a"]);
  const second = enqueue(["b", "c"]);
  const third = enqueue(["d"]);
  equal(calls.length, 1, "the later callers wait while the first write runs");
  calls[0].finish();
  await first;
  await settle();
  deepStrictEqual(calls.map((c) => c.items), [["a"], ["b", "c", "d"]]);
  calls[1].finish();
  deepStrictEqual(await second, ["stored b", "stored c"]);
  deepStrictEqual(await third, ["stored d"]);
});

Deno.test("no more writes run at once than allowed, and none carries more than its item limit", async () => {
  const { calls, write } = heldWrites();
  const enqueue = coalesce(write, { maxInFlight: 2, maxItems: 3 });
  const answers = ["a", "b", "c", "d", "e", "f", "g"].map((i) => enqueue([i]));
  equal(calls.length, 2);
  calls[0].finish();
  calls[1].finish();
  await settle();
  deepStrictEqual(calls.map((c) => c.items), [["a"], ["b"], ["c", "d", "e"], ["f", "g"]]);
  calls[2].finish();
  calls[3].finish();
  deepStrictEqual(
    await Promise.all(answers),
    ["a", "b", "c", "d", "e", "f", "g"].map((i) => [`stored ${i}`]),
  );
});

Deno.test("a shared write that fails is retried per caller, so only the bad caller hears the error", async () => {
  const written: string[][] = [];
  const write = (items: string[]) => {
    written.push(items);
    return items.includes("bad") ? Promise.reject(new Error("invalid row")) : Promise.resolve(items);
  };
  const enqueue = coalesce(write, { maxInFlight: 1, maxItems: 100 });
  const first = enqueue(["a"]);
  const good = enqueue(["b"]);
  const bad = enqueue(["bad"]);
  deepStrictEqual(await first, ["a"]);
  deepStrictEqual(await good, ["b"]);
  await rejects(bad, /invalid row/);
  deepStrictEqual(written, [["a"], ["b", "bad"], ["b"], ["bad"]]);
});

Deno.test("a lone caller's failed write is reported, not retried", async () => {
  let writes = 0;
  const enqueue = coalesce((_: string[]) => {
    writes++;
    return Promise.reject(new Error("database unavailable"));
  }, { maxInFlight: 1, maxItems: 100 });
  await rejects(enqueue(["a"]), /database unavailable/);
  equal(writes, 1);
});

Deno.test("a write that throws at once still answers every caller sharing it", async () => {
  const enqueue = coalesce((items: string[]) => {
    if (items.includes("bad")) throw new Error("cannot serialise");
    return Promise.resolve(items);
  }, { maxInFlight: 1, maxItems: 100 });
  const first = enqueue(["a"]);
  const shared = [enqueue(["b"]), enqueue(["bad"])];
  deepStrictEqual(await first, ["a"]);
  deepStrictEqual(await shared[0], ["b"]);
  await rejects(shared[1], /cannot serialise/);
});
