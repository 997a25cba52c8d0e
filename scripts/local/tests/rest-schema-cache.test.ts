// The schema cache follows the database: a table created after start appears once PostgREST is told to reload.
import { deepStrictEqual } from "node:assert/strict";
import postgres from "npm:postgres@3.4.9";
import { waitFor } from "../../test/wait.ts";
import { anon, cfg } from "../rest/testing.ts";

Deno.test("NOTIFY pgrst, 'reload schema' makes a new table reachable", async () => {
  const db = postgres(cfg.dbUrl, { max: 1, onnotice: () => {} });
  const table = `rest_late_${crypto.randomUUID().replaceAll("-", "")}`;
  try {
    await db.unsafe(`create table public.${table} (id int primary key, label text)`);
    await db.unsafe(`insert into public.${table} values (1, 'late')`);
    await db.unsafe(`grant select on public.${table} to anon`);
    await db.unsafe("notify pgrst, 'reload schema'");
    const after = await waitFor(`${table} to appear in the schema cache`, async () => {
      const res = await anon.from(table).select("label");
      return res.status === 200 ? res : undefined;
    });
    deepStrictEqual(after.data, [{ label: "late" }]);
  } finally {
    await db.unsafe(`drop table if exists public.${table}`);
    await db.unsafe("notify pgrst, 'reload schema'");
    await db.end();
  }
});
