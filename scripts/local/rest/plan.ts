// Plans a request into the one statement PostgREST would run for it (src/PostgREST/Plan.hs, Query/Statements.hs):
// which table or function, the read plan shaping the response, the mutation or call, and how the body renders.
import { columnNotFound, RestError } from "./errors.ts";
import { findRoutine, findTable } from "./lookup.ts";
import { mimeOf, type Rendering, renderingFor } from "./media.ts";
import type { CallArgs, CallPlan, LogicTree, MutatePlan, ReadPlan, TypedField } from "./plan-types.ts";
import { buildReadPlan, columnsNeeded, resolveFilter, resolveLogic, typedField } from "./read-plan.ts";
import type { ApiRequest } from "./request.ts";
import {
  type QualifiedName,
  type Routine,
  routineTableName,
  type SchemaCache,
  type Table,
} from "./schema-cache.ts";
import type { RestSettings } from "./settings.ts";
import type { BodyHandler, Statement } from "./sql.ts";
import { callStatement, readStatement, writeStatement } from "./statements.ts";

interface PlanBase {
  statement: Statement;
  readOnly: boolean;
  /** What the negotiated Accept renders as; "object" is `.single()`. */
  rendering: Rendering;
}

export type Plan =
  | PlanBase & { kind: "read"; table: Table; headersOnly: boolean; counted: boolean }
  | PlanBase & { kind: "mutate"; table: Table; mutation: MutatePlan; counted: boolean }
  | PlanBase & { kind: "call"; routine: Routine; headersOnly: boolean; counted: boolean };

function negotiate(api: ApiRequest): Rendering {
  for (const m of api.accept) {
    const r = renderingFor(m);
    if (r) return r;
  }
  throw new RestError(
    406,
    "PGRST107",
    `None of these media types are available: ${api.accept.map(mimeOf).join(", ")}`,
  );
}

function refuseInvalidPreferences(api: ApiRequest) {
  const p = api.preferences;
  if (p.handling === "strict" && p.invalid.length > 0) {
    throw new RestError(
      400,
      "PGRST122",
      "Invalid preferences given with handling=strict",
      `Invalid preferences: ${p.invalid.join(", ")}`,
    );
  }
}

/** planned and estimated counts are answered with the exact count. */
const wantsCount = (api: ApiRequest) => api.preferences.count !== undefined;

function typedColumns(cache: SchemaCache, table: Table, columns: string[]): TypedField[] {
  return columns.map((c) => {
    if (!table.columns.has(c)) throw columnNotFound(table.name, c);
    return typedField(cache, table, { name: c, jsonPath: [] });
  });
}

/** PostgREST puts a mutation's root filters and logic trees into its WHERE: filters first. */
function rootLogic(cache: SchemaCache, api: ApiRequest, table: QualifiedName): LogicTree[] {
  return [
    ...api.query.filters.filter((f) => f.path.length === 0).map((f) => resolveFilter(cache, table, f.filter)),
    ...api.query.logic.filter((l) => l.path.length === 0).map((l) => resolveLogic(cache, table, l.tree)),
  ];
}

type ActionOf<K extends ApiRequest["action"]["kind"]> = Extract<ApiRequest["action"], { kind: K }>;

function planRead(
  cache: SchemaCache,
  api: ApiRequest,
  settings: RestSettings,
  action: ActionOf<"read">,
): Plan {
  const { headersOnly } = action;
  const table = findTable(cache, api.schema, action.relation);
  const plan = buildReadPlan(cache, api, table, {
    fromSource: false,
    isMutation: false,
    maxRows: settings.maxRows,
  });
  const rendering = negotiate(api);
  refuseInvalidPreferences(api);
  const counted = wantsCount(api);
  const statement = readStatement(plan, counted, headersOnly ? "none" : rendering);
  return { kind: "read", table, headersOnly, counted, statement, readOnly: true, rendering };
}

function planMutation(
  cache: SchemaCache,
  api: ApiRequest,
  settings: RestSettings,
  action: ActionOf<"mutate">,
): Plan {
  const table = findTable(cache, api.schema, action.relation);
  const plan = buildReadPlan(cache, api, table, {
    fromSource: true,
    isMutation: true,
    maxRows: settings.maxRows,
  });
  const p = api.preferences;
  const returning = p.representation === undefined || p.representation === "minimal"
    ? []
    : columnsNeeded(plan, table.pkCols);
  const body = api.payload?.kind === "json" || api.payload?.kind === "raw-json" ? api.payload.raw : "[]";
  const applyDefaults = p.missing === "default";
  let mutation: MutatePlan;
  if (action.mutation === "create") {
    mutation = {
      kind: "insert",
      table,
      columns: typedColumns(cache, table, api.columns),
      body,
      onConflict: p.resolution && { resolution: p.resolution, columns: api.query.onConflict ?? table.pkCols },
      returning,
      pkCols: table.pkCols,
      applyDefaults,
    };
  } else {
    const where = rootLogic(cache, api, table);
    mutation = action.mutation === "update"
      ? {
        kind: "update",
        table,
        columns: typedColumns(cache, table, api.columns),
        body,
        where,
        returning,
        applyDefaults,
      }
      : { kind: "delete", table, where, returning };
    // Hosted Supabase loads pg-safeupdate for the API: an UPDATE or DELETE needs a WHERE clause.
    const runsStatement = mutation.kind === "delete" || mutation.columns.length > 0;
    if (where.length === 0 && runsStatement) {
      throw new RestError(400, "21000", `${mutation.kind.toUpperCase()} requires a WHERE clause`);
    }
  }
  refuseInvalidPreferences(api);
  const rendering = negotiate(api);
  const handler: BodyHandler = p.representation === "representation" ? rendering : "none";
  const statement = writeStatement(plan, mutation, handler, {
    location: p.representation === "headers-only",
    countInserted: mutation.kind === "insert" && p.resolution === "merge-duplicates",
  });
  const counted = wantsCount(api);
  return { kind: "mutate", table, mutation, counted, statement, readOnly: false, rendering };
}

/** Arguments from the query string (GET) or a form body, merging repeats of a VARIADIC parameter. */
function directArgs(r: Routine, pairs: [string, string][]): CallArgs {
  const values = new Map<string, string | string[]>();
  for (const [k, v] of pairs) {
    const variadic = r.params.some((p) => p.name === k && p.variadic);
    const prev = values.get(k);
    values.set(k, variadic ? [...(Array.isArray(prev) ? prev : []), v] : v);
  }
  return { kind: "direct", values };
}

function filterFieldNames(plan: ReadPlan): string[] {
  const names = (t: LogicTree): string[] =>
    t.kind === "filter" ? [t.field.name] : t.kind === "embed-null" ? [t.aggAlias] : t.children.flatMap(names);
  return [...plan.where.flatMap(names), ...plan.children.flatMap(filterFieldNames)];
}

function planCall(
  cache: SchemaCache,
  api: ApiRequest,
  settings: RestSettings,
  action: ActionOf<"call">,
): Plan {
  const isPost = action.method === "POST";
  const argNames = isPost ? api.columns : [...new Set(api.query.rpcArgs.map(([k]) => k))];
  const routine = findRoutine(
    cache,
    api.schema,
    action.routine,
    argNames,
    isPost && api.contentType.kind === "json",
  );
  const p = api.preferences;
  if (p.maxAffected !== undefined && p.handling === "strict" && !routine.returns.setOf) {
    throw new RestError(
      400,
      "PGRST128",
      "Function must return SETOF or TABLE when max-affected preference is used with handling=strict",
    );
  }
  const resultTable = { schema: routine.schema, name: routineTableName(routine) ?? routine.name };
  const plan = buildReadPlan(cache, api, resultTable, {
    fromSource: true,
    isMutation: false,
    maxRows: settings.maxRows,
  });
  const payload = api.payload;
  const args: CallArgs = !isPost
    ? directArgs(routine, api.query.rpcArgs)
    : payload?.kind === "form"
    ? directArgs(routine, payload.params)
    : { kind: "json", raw: payload?.kind === "json" || payload?.kind === "raw-json" ? payload.raw : "{}" };
  const keys = new Set(argNames);
  const call: CallPlan = {
    routine,
    params: routine.params.length === 1 && routine.params[0].name === ""
      ? { kind: "positional", param: routine.params[0] }
      : { kind: "named", params: routine.params.filter((p) => keys.has(p.name)) },
    args,
    filterFields: filterFieldNames(plan),
    returning: columnsNeeded(plan, []),
  };
  const rendering = negotiate(api);
  refuseInvalidPreferences(api);
  const headersOnly = action.method === "HEAD";
  const counted = wantsCount(api);
  const statement = callStatement(call, plan, counted, headersOnly ? "none" : rendering, routine);
  const readOnly = !isPost || routine.volatility !== "v";
  return { kind: "call", routine, headersOnly, counted, statement, readOnly, rendering };
}

export function planRequest(cache: SchemaCache, api: ApiRequest, settings: RestSettings): Plan {
  const action = api.action;
  switch (action.kind) {
    case "read":
      return planRead(cache, api, settings, action);
    case "mutate":
      return planMutation(cache, api, settings, action);
    case "call":
      return planCall(cache, api, settings, action);
  }
}
