// Settings of the offline stack. Defaults are the Supabase CLI's local ones, so anything written for
// `supabase start` works unchanged; every value can be overridden through the environment.
import { fromFileUrl, join } from "./path.ts";

const env = (name: string, fallback: string) => Deno.env.get(name) ?? fallback;

export const CLI_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
export const CLI_ANON_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
export const CLI_SERVICE_ROLE_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";
export const CLI_PUBLISHABLE_KEY = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
export const CLI_SECRET_KEY = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";

export const repoRoot = join(fromFileUrl(new URL("../..", import.meta.url)));

export interface StackConfig {
  apiPort: number;
  dbPort: number;
  dataDir: string;
  jwtSecret: string;
  jwtExpiry: number;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  dbPassword: string;
  apiUrl: string;
  dbUrl: string;
  supabaseDir: string;
  maxBodyBytes: number;
  verbose: boolean;
}

type Settings = Omit<StackConfig, "apiUrl" | "dbUrl">;

export function loadConfig(overrides: Partial<Settings> = {}): StackConfig {
  const settings: Settings = {
    apiPort: Number(env("ATENDE_API_PORT", "54321")),
    dbPort: Number(env("ATENDE_DB_PORT", "54322")),
    dataDir: env("ATENDE_DATA_DIR", join(repoRoot, ".local", "stack")),
    jwtSecret: env("JWT_SECRET", CLI_JWT_SECRET),
    jwtExpiry: Number(env("JWT_EXPIRY", "3600")),
    anonKey: env("SUPABASE_ANON_KEY", CLI_ANON_KEY),
    serviceRoleKey: env("SUPABASE_SERVICE_ROLE_KEY", CLI_SERVICE_ROLE_KEY),
    publishableKey: env("SUPABASE_PUBLISHABLE_KEY", CLI_PUBLISHABLE_KEY),
    secretKey: env("SUPABASE_SECRET_KEY", CLI_SECRET_KEY),
    dbPassword: env("ATENDE_DB_PASSWORD", "postgres"),
    supabaseDir: join(repoRoot, "supabase"),
    maxBodyBytes: Number(env("ATENDE_MAX_BODY_BYTES", String(32 * 1024 * 1024))),
    verbose: env("ATENDE_VERBOSE", "") === "1",
    ...overrides,
  };
  return {
    ...settings,
    apiUrl: `http://127.0.0.1:${settings.apiPort}`,
    dbUrl: `postgresql://postgres:${settings.dbPassword}@127.0.0.1:${settings.dbPort}/postgres`,
  };
}
