// The project's API keys, as the platform gives them to every function. Endpoints that take no user session check
// the key themselves: /health takes any project key (an uptime checker holds the anon or publishable one),
// /metrics only a secret one or its own ATENDE_METRICS_KEY.
import { unauthorized } from "./errors.ts";
import { sameSecret } from "./signature.ts";

const env = (name: string) => Deno.env.get(name) ?? "";

/** SUPABASE_PUBLISHABLE_KEYS / SUPABASE_SECRET_KEYS hold a JSON object of named keys. */
function namedKeys(name: string): string[] {
  try {
    return Object.values(JSON.parse(env(name) || "{}")).filter((k): k is string => typeof k === "string");
  } catch {
    return [];
  }
}

export const secretKeys =
  (): string[] => [env("SUPABASE_SERVICE_ROLE_KEY"), ...namedKeys("SUPABASE_SECRET_KEYS")];

export const projectKeys = (): string[] => [
  env("SUPABASE_ANON_KEY"),
  ...namedKeys("SUPABASE_PUBLISHABLE_KEYS"),
  ...secretKeys(),
];

/** Passes when the request's apikey header or bearer token is one of `accepted`; else 401. */
export function requireKey(req: Request, accepted: string[]): void {
  const presented = [
    req.headers.get("apikey") ?? "",
    (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, ""),
  ];
  const known = accepted.filter(Boolean);
  if (!presented.some((p) => p && known.some((k) => sameSecret(p, k)))) {
    throw unauthorized("invalid_key", "This endpoint needs a project key.");
  }
}
