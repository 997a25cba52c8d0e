// Shared by the rest-*.test.ts contract tests: supabase-js clients for anon, a signed-in user and the service
// role against the stack under test, and rows seeded per test under a unique tag.
import { equal } from "node:assert/strict";
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.1";
import { testConfig } from "../../test/env.ts";
import { signJwt } from "../jwt.ts";

export const cfg = testConfig();
const restUrl = `${cfg.apiUrl}/rest/v1`;

const options = { auth: { persistSession: false, autoRefreshToken: false } };

export const anon = createClient(cfg.apiUrl, cfg.anonKey, options);
export const service = createClient(cfg.apiUrl, cfg.serviceRoleKey, options);

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A JWT as GoTrue issues it for a signed-in user. */
export function userToken(sub: string = crypto.randomUUID(), exp = nowSeconds() + 3600): Promise<string> {
  return signJwt({ sub, role: "authenticated", aud: "authenticated", exp }, cfg.jwtSecret);
}

/** A client that sends `token` as the user's access token, the way an app signed in elsewhere does. */
export function clientWithToken(token: string): SupabaseClient {
  return createClient(cfg.apiUrl, cfg.anonKey, { ...options, accessToken: () => Promise.resolve(token) });
}

export async function signedInUser(): Promise<{ id: string; client: SupabaseClient }> {
  const id = crypto.randomUUID();
  return { id, client: clientWithToken(await userToken(id)) };
}

export const uniqueTag = () => `t-${crypto.randomUUID()}`;

/** Raw HTTP for what supabase-js cannot send, with the anon key as supabase-js would send it. */
export function rest(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("apikey")) headers.set("apikey", cfg.anonKey);
  return fetch(`${restUrl}${path}`, { ...init, headers });
}

/** After a failed request the service must keep answering. */
export async function stillServes(): Promise<void> {
  const { error, status } = await anon.from("rest_authors").select("id").limit(1);
  equal(error, null);
  equal(status, 200);
}

export interface Seeded {
  tag: string;
  authors: { ana: number; bo: number; cy: number };
  posts: { hello: number; world: number; third: number; draft: number };
}

/**
 * Three authors and four posts under a fresh tag:
 * Ana (BR) wrote "Hello" (5 views, 4.5) and "World" (7 views); Bo (US) wrote "Third" (0 views, 3.0);
 * Cy (no country) wrote nothing; "Draft" has no author, 2 views and no rating.
 */
export async function seedBlog(): Promise<Seeded> {
  const tag = uniqueTag();
  const { data: authors, error } = await service.from("rest_authors").insert([
    { name: `Ana ${tag}`, country: "BR", tag },
    { name: `Bo ${tag}`, country: "US", tag },
    { name: `Cy ${tag}`, country: null, tag },
  ]).select("id, name").order("id");
  equal(error, null);
  const [ana, bo, cy] = authors!.map((a) => a.id as number);
  const { data: posts, error: postError } = await service.from("rest_posts").insert([
    {
      author_id: ana,
      title: "Hello",
      views: 5,
      published: true,
      rating: 4.5,
      meta: { lang: "pt", n: 1 },
      tag,
    },
    { author_id: ana, title: "World", views: 7, published: false, rating: null, meta: null, tag },
    {
      author_id: bo,
      title: "Third",
      views: 0,
      published: true,
      rating: 3.0,
      meta: { lang: "en", n: 2 },
      tag,
    },
    { author_id: null, title: "Draft", views: 2, published: false, rating: null, meta: null, tag },
  ]).select("id").order("id");
  equal(postError, null);
  const [hello, world, third, draft] = posts!.map((p) => p.id as number);
  return { tag, authors: { ana, bo, cy }, posts: { hello, world, third, draft } };
}
