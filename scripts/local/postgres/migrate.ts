// Applies the platform bootstrap, then supabase/migrations/*.sql in order (recorded as the Supabase CLI records
// them), then supabase/seed.sql on a fresh database. Each migration runs in its own transaction, so a failing
// file leaves nothing half-applied and start-up stops with its file, line and error.
import type { Sql } from "../db.ts";
import { join } from "../path.ts";

export class MigrationError extends Error {}

const bootstrapSql = () => Deno.readTextFile(new URL("./bootstrap.sql", import.meta.url));

function lineOf(text: string, position: number | undefined): number | undefined {
  if (!position) return undefined;
  return text.slice(0, position - 1).split("\n").length;
}

async function runFile(sql: Sql, file: string, text: string, record: (tx: Sql) => Promise<unknown>) {
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(text);
      await record(tx as unknown as Sql);
    });
  } catch (e) {
    const err = e as { message: string; position?: string; code?: string };
    const line = lineOf(text, err.position ? Number(err.position) : undefined);
    throw new MigrationError(
      `${file}${line ? `:${line}` : ""}: ${err.message}${err.code ? ` (SQLSTATE ${err.code})` : ""}`,
    );
  }
}

export async function listMigrations(
  dir: string,
): Promise<{ version: string; name: string; file: string }[]> {
  const out = [];
  if (!(await Deno.stat(dir).catch(() => null))) return [];
  for await (const entry of Deno.readDir(dir)) {
    const m = entry.name.match(/^(\d+)_(.*)\.sql$/);
    if (entry.isFile && m) out.push({ version: m[1], name: m[2], file: join(dir, entry.name) });
  }
  return out.sort((a, b) => a.version.localeCompare(b.version));
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface MigrateResult {
  applied: string[];
  seeded: boolean;
}

export async function migrate(
  sql: Sql,
  supabaseDir: string,
  extraDirs: string[] = [],
): Promise<MigrateResult> {
  await runFile(sql, "bootstrap.sql", await bootstrapSql(), () => Promise.resolve());
  const done = new Set(
    (await sql`select version from supabase_migrations.schema_migrations`).map((r) => r.version),
  );
  const fresh = done.size === 0;
  const applied: string[] = [];
  const migrations = [join(supabaseDir, "migrations"), ...extraDirs].map((d) => listMigrations(d));
  for (const m of (await Promise.all(migrations)).flat().sort((a, b) => a.version.localeCompare(b.version))) {
    if (done.has(m.version)) continue;
    const text = await Deno.readTextFile(m.file);
    await runFile(
      sql,
      m.file,
      text,
      (tx) =>
        tx`insert into supabase_migrations.schema_migrations (version, statements, name)
         values (${m.version}, ${[text]}, ${m.name})`,
    );
    applied.push(`${m.version}_${m.name}`);
  }
  let seeded = false;
  const seedFile = join(supabaseDir, "seed.sql");
  const seed = await Deno.readTextFile(seedFile).catch(() => null);
  if (fresh && seed !== null) {
    const hash = await sha256(seed);
    await runFile(
      sql,
      seedFile,
      seed,
      (tx) =>
        tx`insert into supabase_migrations.seed_files (path, hash) values ('supabase/seed.sql', ${hash})
         on conflict (path) do update set hash = excluded.hash`,
    );
    seeded = true;
  }
  return { applied, seeded };
}
