// Serves every supabase/functions/<name>/index.ts under /functions/v1/<name>, as the Supabase CLI's edge runtime
// does: verify_jwt from config.toml, the env vars hosted Supabase injects, EdgeRuntime.waitUntil, and a 500 with a
// log line (never a crash of the stack) when a function throws. Each index.ts is loaded unchanged: its
// Deno.serve(handler) call is captured, so the code that runs here is the code that is deployed.
import { parse as parseToml } from "npm:smol-toml@1.9.1";
import type { StackConfig } from "./config.ts";
import type { Ctx } from "./gateway.ts";
import { bearer, json } from "./http.ts";
import { verifyJwt } from "./jwt.ts";
import { join } from "./path.ts";

type Handler = (req: Request, info?: unknown) => Response | Promise<Response>;

interface LoadedFunction {
  name: string;
  verifyJwt: boolean;
  handler: Handler;
}

const SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;

async function readEnvFile(path: string): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(path).catch(() => "");
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}

function installEdgeRuntimeShim() {
  const g = globalThis as unknown as {
    EdgeRuntime?: { waitUntil: (p: Promise<unknown>) => Promise<unknown> };
  };
  g.EdgeRuntime ??= {
    waitUntil(p: Promise<unknown>) {
      p.catch((e) => console.error("[functions] background task failed:", e));
      return p;
    },
  };
}

/** Imports index.ts with Deno.serve swapped for a recorder, returning the handler it registered. */
async function captureHandler(file: string): Promise<Handler> {
  const deno = Deno as unknown as { serve: unknown };
  const original = deno.serve;
  let captured: Handler | undefined;
  deno.serve = (...args: unknown[]) => {
    const h = args.find((a) => typeof a === "function") ??
      (args[0] as { handler?: Handler } | undefined)?.handler;
    captured = h as Handler;
    return { finished: Promise.resolve(), shutdown: () => Promise.resolve(), ref() {}, unref() {}, addr: {} };
  };
  try {
    await import(`file://${file}`);
  } finally {
    deno.serve = original;
  }
  if (!captured) throw new Error(`${file} did not call Deno.serve(handler)`);
  return captured;
}

type FunctionSettings = Record<string, { verify_jwt?: boolean; enabled?: boolean }>;

async function readFunctionSettings(configPath: string): Promise<FunctionSettings> {
  const text = await Deno.readTextFile(configPath).catch(() => "");
  return (parseToml(text) as { functions?: FunctionSettings }).functions ?? {};
}

/**
 * Loads the project's functions, and those of `extraDirs` (each a functions folder with its own config.toml
 * beside it), which is how the contract suite adds functions that are never deployed.
 */
export async function loadFunctions(
  cfg: StackConfig,
  extraDirs: string[] = [],
): Promise<Map<string, LoadedFunction>> {
  const dir = join(cfg.supabaseDir, "functions");
  const env = {
    ...(await readEnvFile(join(dir, ".env"))),
    SUPABASE_URL: cfg.apiUrl,
    SUPABASE_ANON_KEY: cfg.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: cfg.serviceRoleKey,
    SUPABASE_DB_URL: cfg.dbUrl,
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: cfg.publishableKey }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: cfg.secretKey }),
  };
  for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
  installEdgeRuntimeShim();

  const loaded = new Map<string, LoadedFunction>();
  const folders = [
    { dir, config: join(cfg.supabaseDir, "config.toml") },
    ...extraDirs.map((d) => ({
      dir: d,
      config: join(d, "config.toml"),
    })),
  ];
  for (const folder of folders) {
    const settings = await readFunctionSettings(folder.config);
    for await (const entry of Deno.readDir(folder.dir)) {
      if (!entry.isDirectory || !SLUG.test(entry.name)) continue;
      const index = join(folder.dir, entry.name, "index.ts");
      if (!(await Deno.stat(index).catch(() => null))) continue;
      const own = settings[entry.name] ?? {};
      if (own.enabled === false) continue;
      loaded.set(entry.name, {
        name: entry.name,
        verifyJwt: own.verify_jwt ?? true,
        handler: await captureHandler(index),
      });
    }
  }
  return loaded;
}

/**
 * The request with the URL Kong forwards, as a view rather than a copy: copying a Request (its headers through
 * WebIDL, its body stream) was a sixth of a webhook's cost in this process. Request methods check their brand
 * against the prototype, which a proxy keeps, and read their slots through it from the original. So the rest is the
 * incoming request's own: its headers cannot be changed, its signal aborts when the client goes, and clone() keeps
 * the gateway's URL (no function relies on any of these).
 */
function withUrl(req: Request, url: string): Request {
  return new Proxy(req, { get: (target, key) => key === "url" ? url : Reflect.get(target, key, target) });
}

export function functionsService(functions: Map<string, LoadedFunction>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    const name = ctx.path.split("/")[1] ?? "";
    const fn = functions.get(name);
    if (!fn) return json({ code: "NOT_FOUND", message: "Requested function was not found" }, 404);
    if (fn.verifyJwt && req.method !== "OPTIONS") {
      const token = bearer(req);
      if (!token) return json({ msg: "Error: Missing authorization header" }, 401);
      try {
        await verifyJwt(token, ctx.cfg.jwtSecret);
      } catch {
        return json({ msg: "Invalid JWT" }, 401);
      }
    }
    // Below the gateway a function sees /<name>/..., as behind Kong and the CLI's edge runtime.
    const forwarded = withUrl(req, ctx.url.origin + ctx.path + ctx.url.search);
    try {
      const res = await fn.handler(forwarded, { remoteAddr: ctx.info.remoteAddr });
      if (!(res instanceof Response)) {
        throw new Error(`function ${name} returned ${typeof res}, not a Response`);
      }
      return res;
    } catch (e) {
      console.error(`[functions] ${name} threw:`, e);
      return json(
        { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" },
        500,
      );
    }
  };
}
