// The Data API settings of the project, read from `[api]` in supabase/config.toml as the Supabase CLI passes them
// to PostgREST (PGRST_DB_SCHEMAS, PGRST_DB_EXTRA_SEARCH_PATH, PGRST_DB_MAX_ROWS); defaults are the CLI's.
import { parse as parseToml } from "npm:smol-toml@1.9.1";
import { join } from "../path.ts";

export interface RestSettings {
  /** Exposed schemas; the first is the default when no profile header is sent. */
  schemas: string[];
  extraSearchPath: string[];
  maxRows: number;
  anonRole: string;
}

const stringList = (v: unknown, fallback: string[]) =>
  Array.isArray(v) && v.every((x) => typeof x === "string") && v.length > 0 ? v as string[] : fallback;

export async function loadRestSettings(supabaseDir: string): Promise<RestSettings> {
  const text = await Deno.readTextFile(join(supabaseDir, "config.toml")).catch(() => "");
  const api = ((text ? parseToml(text) : {}) as { api?: Record<string, unknown> }).api ?? {};
  return {
    schemas: stringList(api.schemas, ["public", "graphql_public"]),
    extraSearchPath: stringList(api.extra_search_path, ["public", "extensions"]),
    maxRows: typeof api.max_rows === "number" && api.max_rows > 0 ? api.max_rows : 1000,
    anonRole: "anon",
  };
}
