// Helpers for the Auth tests (scripts/local/tests/auth-*.test.ts): supabase-js clients as an app and a server
// would make them, fresh users through the admin API, a token's claims, and short-lived SQL access.
import { createClient, type SupabaseClient, type User } from "npm:@supabase/supabase-js@2.119.1";
import postgres from "npm:postgres@3.4.9";
import { testConfig } from "../../test/env.ts";

export const cfg = testConfig();

/** A browser-like client on the publishable key; no storage and no timers, so tests end cleanly. */
export const appClient = (): SupabaseClient =>
  createClient(cfg.apiUrl, cfg.publishableKey, { auth: { persistSession: false, autoRefreshToken: false } });

/** A server-side client on the secret key, for the admin API. */
export const adminClient = (): SupabaseClient =>
  createClient(cfg.apiUrl, cfg.secretKey, { auth: { persistSession: false, autoRefreshToken: false } });

export const newEmail = (label = "user") => `${label}-${crypto.randomUUID()}@atende.test`;

/** A confirmed user made by the admin API, with the password it signs in with. */
export async function newUser(
  password = "correct-horse-1",
): Promise<{ user: User; email: string; password: string }> {
  const email = newEmail();
  const { data, error } = await adminClient().auth.admin.createUser({ email, password, email_confirm: true });
  if (error) throw error;
  return { user: data.user, email, password };
}

/** A client signed in as a new user. */
export async function signedInClient(): Promise<{ client: SupabaseClient; user: User; email: string }> {
  const { user, email, password } = await newUser();
  const client = appClient();
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return { client, user, email };
}

export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(payload));
}

/** Runs fn with a one-connection pool to the stack's database, closed afterwards. */
export async function withSql<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(cfg.dbUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/** A raw request to the Auth API with the publishable key, for answers supabase-js does not surface. */
export function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("apikey", cfg.publishableKey);
  return fetch(`${cfg.apiUrl}/auth/v1${path}`, { ...init, headers });
}
