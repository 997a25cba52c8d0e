// Starting, stopping and resetting the stack, as a developer does with `npm start`, Ctrl-C and `--reset`.
import { equal, match, rejects } from "node:assert/strict";
import postgres from "npm:postgres@3.4.9";
import { spawnStack } from "../../test/spawn-stack.ts";
import { testPorts } from "../../test/env.ts";
import { repoRoot } from "../config.ts";
import { join } from "../path.ts";

const portBase = testPorts.api + 30;
const name = `lifecycle-${portBase}`;

async function query<T>(dbUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

Deno.test("data survives a stop and start, and --reset wipes it", async () => {
  let stack = await spawnStack({ portBase, name, reset: true });
  try {
    await query(
      stack.cfg.dbUrl,
      (sql) => sql`create table public.kept (note text); insert into public.kept values ('hello')`.simple(),
    );
  } finally {
    await stack.stop();
  }
  stack = await spawnStack({ portBase, name });
  try {
    const rows = await query(stack.cfg.dbUrl, (sql) => sql`select note from public.kept`);
    equal(rows[0].note, "hello");
    match(stack.output(), /migrations applied now: none \(up to date\)/);
  } finally {
    await stack.stop();
  }
  stack = await spawnStack({ portBase, name, reset: true });
  try {
    const rows = await query(stack.cfg.dbUrl, (sql) => sql`select to_regclass('public.kept') as t`);
    equal(rows[0].t, null);
    match(stack.output(), /seed\.sql loaded/);
  } finally {
    await stack.stop();
  }
});

Deno.test("a second start on a running stack says so and leaves it running", async () => {
  const stack = await spawnStack({ portBase, name, reset: true });
  try {
    await rejects(spawnStack({ portBase, name, timeoutMs: 30_000 }), /already running/);
    const res = await fetch(`${stack.cfg.apiUrl}/rest/v1/`);
    await res.body?.cancel();
    equal(res.status, 401, "the first stack still answers");
  } finally {
    await stack.stop();
  }
});

Deno.test("a failing migration stops start-up with its file, line and error, and applies nothing of it", async () => {
  const dir = await Deno.makeTempDir({ dir: join(repoRoot, ".local") });
  const file = join(dir, "29990101000000_broken.sql");
  await Deno.writeTextFile(file, "create table public.half_done (id int);\n\nselect * from no_such_table;\n");
  try {
    await rejects(
      spawnStack({ portBase, name, reset: true, env: { ATENDE_EXTRA_MIGRATIONS: dir }, timeoutMs: 60_000 }),
      (e: Error) => {
        match(e.message, new RegExp(`${file}:3: relation "no_such_table" does not exist`));
        return true;
      },
    );
    const stack = await spawnStack({ portBase, name });
    try {
      const [row] = await query(stack.cfg.dbUrl, (sql) =>
        sql`select to_regclass('public.half_done') as t,
          (select count(*)::int from supabase_migrations.schema_migrations where version = '29990101000000') as n`);
      equal(row.t, null);
      equal(row.n, 0);
    } finally {
      await stack.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
