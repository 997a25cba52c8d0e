// The ingest baseline: what this Postgres takes of the simplest durable, idempotent write a webhook could make, one
// row inserted with `on conflict (dedupe_key) do nothing`, one transaction each, measured by Debian's pgbench.
import type postgres from "npm:postgres@3.4.9";
import type { StackConfig } from "../local/config.ts";

const PGBENCH = "/usr/lib/postgresql/15/bin/pgbench";

export async function pgbenchInsertTps(
  cfg: StackConfig,
  sql: postgres.Sql,
  opts: { clients: number; seconds: number },
): Promise<number> {
  await sql`create schema if not exists bench`;
  await sql`create table if not exists bench.inserts (
    id bigint generated always as identity primary key,
    dedupe_key text not null unique,
    payload jsonb not null,
    created_at timestamptz not null default now())`;
  const script = await Deno.makeTempFile({ suffix: ".sql" });
  await Deno.writeTextFile(
    script,
    `insert into bench.inserts (dedupe_key, payload) values (gen_random_uuid()::text, '{"event":"message"}') ` +
      `on conflict (dedupe_key) do nothing;\n`,
  );
  try {
    const out = await new Deno.Command(PGBENCH, {
      args: [
        "-n",
        "-M",
        "prepared",
        "-c",
        String(opts.clients),
        "-j",
        "2",
        "-T",
        String(opts.seconds),
        "-f",
        script,
        "-h",
        "127.0.0.1",
        "-p",
        String(cfg.dbPort),
        "-U",
        "postgres",
        "postgres",
      ],
      env: { PGPASSWORD: cfg.dbPassword },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const tps = text.match(/tps = ([\d.]+) \(without initial connection time\)/);
    if (!out.success || !tps) throw new Error(`pgbench failed (exit ${out.code}):\n${text}`);
    return Number(tps[1]);
  } finally {
    await Deno.remove(script);
    // Left behind, its rows would be vacuumed during the next measurement, which would pay for it.
    await sql`drop table bench.inserts`;
  }
}
