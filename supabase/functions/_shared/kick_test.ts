import { equal } from "node:assert/strict";
import { kickAfterResponse } from "./kick.ts";

Deno.test("webhooks arriving during one kick share it: one processor call, one wait handed to the runtime", async () => {
  let calls = 0;
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => answer = resolve);
  const processor = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async () => {
    calls++;
    await answered;
    return Response.json({ processed: 0 });
  });
  const waited: Promise<unknown>[] = [];
  const runtime = globalThis as { EdgeRuntime?: unknown };
  const before = { url: Deno.env.get("SUPABASE_URL"), runtime: runtime.EdgeRuntime };
  Deno.env.set("SUPABASE_URL", `http://127.0.0.1:${processor.addr.port}`);
  runtime.EdgeRuntime = { waitUntil: (p: Promise<unknown>) => waited.push(p) };
  try {
    for (let i = 0; i < 100; i++) kickAfterResponse();
    equal(waited.length, 1);
    answer();
    await waited[0];
    // The 99 that came while it ran are owed exactly one more run, already part of the awaited kick.
    equal(calls, 2);
  } finally {
    runtime.EdgeRuntime = before.runtime;
    if (before.url === undefined) Deno.env.delete("SUPABASE_URL");
    else Deno.env.set("SUPABASE_URL", before.url);
    await processor.shutdown();
  }
});
