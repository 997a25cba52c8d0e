// The one HTTP entry point on the API port, doing what Kong does for a Supabase project: route by path prefix,
// check the API key, turn `sb_` keys into the role JWTs the services expect, answer CORS, log each request.
import type { StackConfig } from "./config.ts";
import { corsHeaders, json, preflight } from "./http.ts";
import type { Sql } from "./db.ts";
import { looksLikeJwt, verifyJwt } from "./jwt.ts";

export interface Ctx {
  cfg: StackConfig;
  sql: Sql;
  /** The path below the service prefix, e.g. "/token" for "/auth/v1/token". */
  path: string;
  url: URL;
  info: Deno.ServeHandlerInfo;
}

export type ServiceHandler = (req: Request, ctx: Ctx) => Promise<Response> | Response;

export interface Mount {
  prefix: string;
  handler: ServiceHandler;
  /** Kong's key-auth: the API key must be present and valid (true for every route but functions). */
  requireKey: boolean;
}

const missingKey = () =>
  json(
    { message: "No API key found in request", hint: "No `apikey` request header or url param was found." },
    401,
  );
const invalidKey = () =>
  json(
    { message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." },
    401,
  );

/** Maps an API key to the JWT Kong would forward for it: sb_ keys become role JWTs, JWT keys pass as they are. */
export async function keyToJwt(cfg: StackConfig, key: string): Promise<string | null> {
  if (key === cfg.secretKey) return cfg.serviceRoleKey;
  if (key === cfg.publishableKey) return cfg.anonKey;
  if (key === cfg.anonKey || key === cfg.serviceRoleKey) return key;
  if (!looksLikeJwt(key)) return null;
  try {
    const claims = await verifyJwt(key, cfg.jwtSecret);
    return claims.role === "anon" || claims.role === "service_role" ? key : null;
  } catch {
    return null;
  }
}

async function rewriteAuth(
  req: Request,
  url: URL,
  cfg: StackConfig,
  requireKey: boolean,
): Promise<Request | Response> {
  const key = req.headers.get("apikey") ?? url.searchParams.get("apikey");
  if (!key) {
    if (requireKey) return missingKey();
    return req;
  }
  const keyJwt = await keyToJwt(cfg, key);
  if (!keyJwt) return requireKey ? invalidKey() : req;
  // Copied only when rewritten: a request without a key (a provider's webhook) passes as it came.
  const headers = new Headers(req.headers);
  const incoming = headers.get("authorization");
  if (!incoming || /^Bearer\s+sb_/i.test(incoming)) headers.set("authorization", `Bearer ${keyJwt}`);
  if (url.searchParams.has("apikey")) {
    url.searchParams.set("apikey", keyJwt);
  }
  // Deno upgrades only the request it received, so a WebSocket keeps it; the rewritten key is in ctx.url.
  if ((req.headers.get("upgrade") ?? "").toLowerCase() === "websocket") return req;
  return new Request(url, { method: req.method, headers, body: req.body });
}

export function createGateway(cfg: StackConfig, sql: Sql, mounts: Mount[]) {
  // Functions log a line of their own for every request; the gateway's line for each request is for --verbose.
  const log = (method: string, path: string, status: number, started: number) => {
    if (cfg.verbose) console.log(`${method} ${path} ${status} ${(performance.now() - started).toFixed(1)}ms`);
  };

  return async (req: Request, info: Deno.ServeHandlerInfo): Promise<Response> => {
    const started = performance.now();
    const url = new URL(req.url);
    const mount = mounts.find((m) => url.pathname === m.prefix || url.pathname.startsWith(m.prefix + "/"));
    if (req.method === "OPTIONS" && mount) return preflight(req);
    let res: Response;
    if (!mount) {
      res = json({ message: "no Route matched with those values" }, 404);
    } else if (Number(req.headers.get("content-length") ?? 0) > cfg.maxBodyBytes) {
      res = json({ message: "Request size limit exceeded" }, 413);
    } else {
      const rewritten = await rewriteAuth(req, url, cfg, mount.requireKey);
      if (rewritten instanceof Response) {
        res = rewritten;
      } else {
        const path = url.pathname.slice(mount.prefix.length) || "/";
        try {
          res = await mount.handler(rewritten, { cfg, sql, path, url, info });
        } catch (e) {
          console.error(`${req.method} ${url.pathname} crashed:`, e);
          res = json({ message: "An invalid response was received from the upstream server" }, 502);
        }
      }
    }
    if (res.status === 101) return res; // a WebSocket upgrade: headers are fixed, Realtime logs its own lines
    // Only browsers read CORS headers, and a browser's cross-origin request always names its Origin: a provider's
    // webhook is answered without them (every header set costs a few µs on the busiest path). The answer still
    // varies with the Origin, so caches are told.
    if (req.headers.has("origin")) {
      for (const [k, v] of Object.entries(corsHeaders(req))) {
        if (!res.headers.has(k)) res.headers.set(k, v);
      }
    } else if (!res.headers.has("vary")) {
      res.headers.set("vary", "Origin");
    }
    log(req.method, url.pathname, res.status, started);
    return res;
  };
}
