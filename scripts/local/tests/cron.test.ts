// pg_cron jobs run inside the test stack's Postgres and their net.http_post calls reach the functions.
// Debian's pg_cron 1.4 schedules by the minute only, so this test waits for the next minute boundary.
import { equal } from "node:assert/strict";
import postgres from "npm:postgres@3.4.9";
import { testConfig } from "../../test/env.ts";
import { waitFor } from "../../test/wait.ts";

const cfg = testConfig();

Deno.test("a cron job calls a function through net.http_post", async () => {
  const sql = postgres(cfg.dbUrl, { max: 1, onnotice: () => {} });
  const marker = `cron-${crypto.randomUUID()}`;
  const job = `contract-${marker}`;
  try {
    await sql`select cron.schedule(${job}, '* * * * *', ${`select net.http_post(
        url := '${cfg.apiUrl}/functions/v1/background',
        body := '{"marker": "${marker}"}'::jsonb,
        headers := '{"Content-Type": "application/json"}'::jsonb)`})`;
    await waitFor(
      "the cron job's call to reach the function",
      async () => (await sql`select 1 from contract_function_calls where marker = ${marker}`).length === 1,
      75_000,
      250,
    );
    const [response] = await waitFor(
      "the net response row",
      () =>
        sql`select r.status_code from net._http_response r where r.content like ${"%" + marker + "%"}`.then((
          rows,
        ) => rows.length ? rows : null),
    );
    equal(response.status_code, 202);
  } finally {
    await sql`select cron.unschedule(${job})`.catch(() => {});
    await sql.end();
  }
});

Deno.test("a request queued in a rolled-back transaction is never sent", async () => {
  const sql = postgres(cfg.dbUrl, { max: 1, onnotice: () => {} });
  const marker = `rollback-${crypto.randomUUID()}`;
  const committed = `commit-${crypto.randomUUID()}`;
  try {
    await sql.begin(async (tx) => {
      await tx`select net.http_post(${`${cfg.apiUrl}/functions/v1/background`}, ${tx.json({ marker })})`;
      throw new Error("roll back");
    }).catch(() => {});
    // A later committed request is performed; by then the rolled-back one would have been too.
    await sql`select net.http_post(${`${cfg.apiUrl}/functions/v1/background`}, ${
      sql.json({ marker: committed })
    })`;
    await waitFor(
      "the committed request",
      async () => (await sql`select 1 from contract_function_calls where marker = ${committed}`).length === 1,
    );
    equal((await sql`select 1 from contract_function_calls where marker = ${marker}`).length, 0);
  } finally {
    await sql.end();
  }
});
