// The functions' direct database connection (SUPABASE_DB_URL): webhooks and the processor need one round trip
// per request, and the service role's rights. Agent-facing functions act as the user through supabase-js instead.
import postgres from "npm:postgres@3.4.9";

export type Sql = postgres.Sql;

let pool: Sql | undefined;

export function db(): Sql {
  if (pool) return pool;
  const url = Deno.env.get("SUPABASE_DB_URL");
  if (!url) throw new Error("SUPABASE_DB_URL is not set");
  // Supabase's transaction pooler (port 6543) cannot keep prepared statements.
  pool = postgres(url, {
    max: Number(Deno.env.get("ATENDE_DB_POOL_SIZE") ?? 8),
    prepare: !url.includes(":6543/"),
    onnotice: () => {},
    connection: { application_name: "atende-functions" },
  });
  return pool;
}
