// `/rest/v1`: the subset of PostgREST (v12–14, as the Supabase CLI runs it) that supabase-js speaks. Each request
// is one transaction with the caller's role and claims set locally, so Row Level Security decides what it sees.
// The schema cache loads at start and reloads on `NOTIFY pgrst, 'reload schema'`.
import type { StackConfig } from "../config.ts";
import { asRequest, type Sql } from "../db.ts";
import type { ServiceHandler } from "../gateway.ts";
import { BodyTooLarge, json, readBody } from "../http.ts";
import { authenticate, type Caller } from "./auth.ts";
import { connectionError, errorResponse, fromPgError, isPgServerError, RestError } from "./errors.ts";
import { type Plan, planRequest } from "./plan.ts";
import { type ApiRequest, parseApiRequest } from "./request.ts";
import { checkResult, respond, type ResultRow } from "./respond.ts";
import { loadSchemaCache, loadTimezones, type SchemaCache } from "./schema-cache.ts";
import { loadRestSettings, type RestSettings } from "./settings.ts";
import { ident } from "./quote.ts";

/** Parameters go over the wire as "unknown" (OID 705), like hasql's encoder, so Postgres infers each type. */
const UNKNOWN_OID = 705;

function execute(
  sql: Sql,
  settings: RestSettings,
  cache: SchemaCache,
  caller: Caller,
  api: ApiRequest,
  plan: Plan,
) {
  const extra: Record<string, string> = {
    search_path: [api.schema, ...settings.extraSearchPath].map(ident).join(", "),
    "request.cookies": JSON.stringify(api.cookies),
    ...Object.fromEntries(cache.roleSettings.get(caller.role) ?? []),
  };
  if (api.preferences.timezone) extra.timezone = api.preferences.timezone;
  const settingsOfRequest = {
    claims: caller.claims,
    readOnly: plan.readOnly,
    method: api.method,
    path: api.path,
    headers: api.headers,
    extra,
  };
  return asRequest(sql, settingsOfRequest, async (tx) => {
    const params = plan.statement.params.map((p) => (p === null ? null : sql.typed(p, UNKNOWN_OID)));
    // Prepared per connection: a statement's text depends only on the query's shape, values being parameters.
    const [row] = await tx.unsafe(plan.statement.text, params as never[]);
    checkResult(plan, api, row as unknown as ResultRow);
    return row as unknown as ResultRow;
  });
}

const internalError = () =>
  json({ code: "PGRSTX00", details: null, hint: null, message: "Internal server error" }, 500);

export async function createRestService(
  cfg: StackConfig,
  sql: Sql,
): Promise<{ handler: ServiceHandler; stop(): Promise<void> }> {
  const settings = await loadRestSettings(cfg.supabaseDir);
  let cache = await loadSchemaCache(sql, settings.schemas);
  const timezones = await loadTimezones(sql);
  // Reloads can overlap; only the most recently started one is kept.
  let generation = 0;
  const reload = async () => {
    const mine = ++generation;
    try {
      const fresh = await loadSchemaCache(sql, settings.schemas);
      if (mine === generation) cache = fresh;
    } catch (e) {
      console.error("rest: reloading the schema cache failed:", e);
    }
  };
  let listening = false;
  const listener = await sql.listen(
    "pgrst",
    (payload) => {
      if (payload === "" || payload === "reload schema") reload();
    },
    // After a lost connection comes back, changes may have been missed: reload as PostgREST does.
    () => {
      if (listening) reload();
      listening = true;
    },
  );

  const serve = async (req: Request, path: string, url: URL): Promise<Response> => {
    let body: string;
    try {
      body = new TextDecoder().decode(await readBody(req, cfg.maxBodyBytes));
    } catch (e) {
      if (e instanceof BodyTooLarge) return json({ message: "Request size limit exceeded" }, 413);
      throw e;
    }
    let caller: Caller | undefined;
    try {
      caller = await authenticate(req.headers.get("authorization"), cfg.jwtSecret, settings.anonRole);
      const current = cache;
      const api = parseApiRequest(req, { path, url, body, schemas: settings.schemas, timezones });
      const plan = planRequest(current, api, settings);
      return respond(plan, api, await execute(sql, settings, current, caller, api, plan));
    } catch (e) {
      if (e instanceof RestError) return errorResponse(e);
      if (isPgServerError(e)) return errorResponse(fromPgError(e, caller?.role !== settings.anonRole));
      const lost = connectionError(e);
      if (lost) return errorResponse(lost);
      throw e;
    }
  };

  const handler: ServiceHandler = async (req, ctx) => {
    try {
      return await serve(req, ctx.path, ctx.url);
    } catch (e) {
      console.error(`rest: ${req.method} ${ctx.path} failed unexpectedly:`, e);
      return internalError();
    }
  };

  return {
    handler,
    stop: async () => {
      await listener.unlisten();
    },
  };
}
