// Turns the statement's one result row into PostgREST's HTTP answer (src/PostgREST/Response.hs, MainTx.hs):
// status, Content-Range, Location, Preference-Applied, the body as Postgres rendered it, and the checks that
// roll a transaction back (`.single()` on 0 or many rows, max-affected).
import { outOfRange, RestError, singularityError } from "./errors.ts";
import { contentTypeOf } from "./media.ts";
import type { Plan } from "./plan.ts";
import { appliedHeader, type Preferences } from "./preferences.ts";
import { contentRange, rangeStatus } from "./range.ts";
import type { ApiRequest } from "./request.ts";
import { returnsVoid } from "./schema-cache.ts";

export interface ResultRow {
  total_result_set: string | number | null;
  page_total: string | number;
  header?: string[];
  body: string;
  response_headers: string | null;
  response_status: string | null;
  response_inserted?: number | null;
}

const pageTotal = (row: ResultRow) => Number(row.page_total);

/** Checks made inside the transaction: failing one rolls everything back. */
export function checkResult(plan: Plan, api: ApiRequest, row: ResultRow): void {
  const rows = pageTotal(row);
  const single = plan.rendering === "object" || plan.rendering === "object-stripped";
  if (single && rows !== 1) throw singularityError(rows);
  const p = api.preferences;
  const capped = plan.kind === "call" || (plan.kind === "mutate" && plan.mutation.kind !== "insert");
  if (capped && p.maxAffected !== undefined && p.handling === "strict" && rows > p.maxAffected) {
    throw new RestError(
      400,
      "PGRST124",
      "Query result exceeds max-affected preference constraint",
      `The query affects ${rows} rows`,
    );
  }
}

function contentHeaders(plan: Plan, api: ApiRequest): Record<string, string> {
  return {
    "content-type": contentTypeOf(plan.rendering),
    ...(api.negotiatedByProfile ? { "content-profile": api.schema } : {}),
  };
}

/** The preferences each kind of request honours, as PostgREST's responsePreferences picks them. */
function honoured(plan: Plan, api: ApiRequest): Partial<Preferences> {
  const p = api.preferences;
  const base = { count: p.count, handling: p.handling, timezone: p.timezone };
  if (plan.kind === "read") return base;
  if (plan.kind === "call") return { ...base, maxAffected: p.maxAffected };
  const m = plan.mutation;
  if (m.kind === "insert") {
    const resolution = m.pkCols.length === 0 && api.query.onConflict === undefined ? undefined : p.resolution;
    return { ...base, resolution, representation: p.representation, missing: p.missing };
  }
  return {
    ...base,
    representation: p.representation,
    missing: m.kind === "update" ? p.missing : undefined,
    maxAffected: p.maxAffected,
  };
}

function gucOverrides(row: ResultRow): { status?: number; headers: [string, string][] } {
  let status: number | undefined;
  if (row.response_status !== null) {
    const m = row.response_status.match(/^\d+/);
    if (!m) throw new RestError(500, "PGRST112", "response.status guc must be a valid status code");
    status = Number(m[0]);
  }
  const headers: [string, string][] = [];
  if (row.response_headers !== null) {
    const bad = new RestError(
      500,
      "PGRST111",
      "response.headers guc must be a JSON array composed of objects with a single key and a string value",
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.response_headers);
    } catch {
      throw bad;
    }
    if (!Array.isArray(parsed)) throw bad;
    for (const h of parsed) {
      const entries = typeof h === "object" && h !== null ? Object.entries(h) : [];
      if (entries.length !== 1 || typeof entries[0][1] !== "string") throw bad;
      headers.push(entries[0] as [string, string]);
    }
  }
  return { status, headers };
}

function locationOf(table: string, pairs: string[]): string {
  const query = pairs.map((kv) => {
    const i = kv.indexOf("=");
    return `${encodeURIComponent(kv.slice(0, i))}=${encodeURIComponent(kv.slice(i + 1))}`;
  });
  return `/${table}?${query.join("&")}`;
}

export function respond(plan: Plan, api: ApiRequest, row: ResultRow): Response {
  const rows = pageTotal(row);
  const total = row.total_result_set === null ? null : Number(row.total_result_set);
  const headers: Record<string, string> = {};
  const applied = appliedHeader(honoured(plan, api));
  let status: number;
  let body: string | null = null;

  if (plan.kind === "mutate") {
    const m = plan.mutation;
    const counted = plan.counted ? rows : null;
    headers["content-range"] = m.kind === "update"
      ? contentRange(0, rows - 1, counted)
      : contentRange(1, 0, counted);
    const full = api.preferences.representation === "representation";
    if (m.kind === "insert") {
      if (row.header && row.header.length > 0) headers["location"] = locationOf(m.table.name, row.header);
      const merge = api.preferences.resolution === "merge-duplicates";
      status = merge && (row.response_inserted ?? 0) <= 0 ? 200 : 201;
    } else {
      status = full ? 200 : 204;
    }
    if (full) {
      Object.assign(headers, contentHeaders(plan, api));
      body = row.body;
    }
  } else {
    const lower = api.topLevelRange.lower;
    const upper = lower + rows - 1;
    status = rangeStatus(lower, upper, total);
    headers["content-range"] = contentRange(lower, upper, total);
    if (plan.kind === "read") {
      const q = api.query.canonical;
      headers["content-location"] = `/${plan.table.name}${q ? `?${q}` : ""}`;
    }
    if (plan.kind === "call" && returnsVoid(plan.routine)) {
      status = 204;
    } else {
      Object.assign(headers, contentHeaders(plan, api));
      body = status === 416 ? outOfRange(lower, total ?? 0).body() : plan.headersOnly ? null : row.body;
    }
  }
  if (applied) headers["preference-applied"] = applied;

  // A function may set response.status / response.headers; its headers replace PostgREST's own.
  const overrides = gucOverrides(row);
  const out = new Headers(headers);
  for (const [k, v] of overrides.headers) out.set(k, v);
  const finalStatus = overrides.status ?? status;
  return new Response([204, 304].includes(finalStatus) ? null : body, { status: finalStatus, headers: out });
}
