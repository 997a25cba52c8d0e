// Turns an HTTP request into what PostgREST calls an ApiRequest (src/PostgREST/ApiRequest.hs): the action on a
// table or function, the schema from the profile headers, parsed query parameters, ranges, body and preferences.
import { invalidBody, invalidSchema, RestError } from "./errors.ts";
import { decodeMediaType, type MediaType, parseAccept } from "./media.ts";
import { parsePreferences, type Preferences } from "./preferences.ts";
import { parseQueryParams, type QueryParams } from "./query-params.ts";
import {
  ALL_ROWS,
  hasLimitZero,
  intersect,
  isEmpty,
  LIMIT_ZERO,
  type Range,
  rangeFromHeader,
} from "./range.ts";

export type Mutation = "create" | "update" | "delete";

export type Action =
  | { kind: "read"; relation: string; headersOnly: boolean }
  | { kind: "mutate"; relation: string; mutation: Mutation }
  | { kind: "call"; routine: string; method: "POST" | "GET" | "HEAD" };

export type Payload =
  /** A JSON body and its keys (an object's, or those every object of an array shares). */
  | { kind: "json"; raw: string; keys: string[] }
  /** A JSON body passed through untouched because `columns=` names the keys. */
  | { kind: "raw-json"; raw: string }
  /** A form body for a function: its arguments as text. */
  | { kind: "form"; params: [string, string][] };

export interface ApiRequest {
  action: Action;
  schema: string;
  negotiatedByProfile: boolean;
  query: QueryParams;
  topLevelRange: Range;
  /** Ranges by "limit" / "rel.limit", with the top level's combining limit/offset and the Range header. */
  ranges: Map<string, Range>;
  payload?: Payload;
  /** Columns of an insert/update or argument names of a call, sorted as PostgREST's sets are. */
  columns: string[];
  preferences: Preferences;
  accept: MediaType[];
  contentType: MediaType;
  method: string;
  path: string;
  headers: Record<string, string>;
  cookies: Record<string, string>;
}

const sortedUnique = (xs: Iterable<string>) => [...new Set(xs)].sort();

const invalidPath = () => new RestError(404, "PGRST125", "Invalid path specified in request URL");

/** Path segments as WAI's pathInfo gives them: decoded, a trailing slash leaving an empty last segment. */
function segmentsOf(path: string): string[] {
  const trimmed = path.replace(/^\//, "");
  if (trimmed === "") return [];
  try {
    return trimmed.split("/").map(decodeURIComponent);
  } catch {
    throw invalidPath();
  }
}

function actionFor(path: string, method: string): Action {
  const segments = segmentsOf(path);
  // No OpenAPI description is served here; PostgREST answers like this when openapi-mode is disabled.
  if (segments.length === 0) throw new RestError(404, "PGRST126", "Root endpoint metadata is disabled");
  const unsupported = () => new RestError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
  if (segments.length === 2 && segments[0] === "rpc") {
    if (method === "GET" || method === "HEAD" || method === "POST") {
      return { kind: "call", routine: segments[1], method };
    }
    throw new RestError(405, "PGRST101", `Cannot use the ${method} method on RPC`);
  }
  if (segments.length !== 1) throw invalidPath();
  const relation = segments[0];
  switch (method) {
    case "GET":
    case "HEAD":
      return { kind: "read", relation, headersOnly: method === "HEAD" };
    case "POST":
      return { kind: "mutate", relation, mutation: "create" };
    case "PATCH":
      return { kind: "mutate", relation, mutation: "update" };
    case "DELETE":
      return { kind: "mutate", relation, mutation: "delete" };
    default:
      throw unsupported();
  }
}

function schemaFor(req: Request, schemas: string[]): { schema: string; negotiatedByProfile: boolean } {
  const usesContentProfile = ["DELETE", "PATCH", "POST", "PUT"].includes(req.method);
  const profile = req.headers.get(usesContentProfile ? "content-profile" : "accept-profile");
  if (profile === null) return { schema: schemas[0], negotiatedByProfile: schemas.length !== 1 };
  if (!schemas.includes(profile)) throw invalidSchema(profile, schemas);
  return { schema: profile, negotiatedByProfile: true };
}

function rangesFor(req: Request, query: QueryParams): { topLevelRange: Range; ranges: Map<string, Range> } {
  const headerRange = req.method === "GET" ? rangeFromHeader(req.headers.get("range")) : ALL_ROWS;
  const limitRange = query.ranges.get("limit") ?? ALL_ROWS;
  const combined = hasLimitZero(limitRange) ? LIMIT_ZERO : intersect(headerRange, limitRange);
  if (isEmpty(combined) && !hasLimitZero(limitRange)) {
    throw new RestError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      isEmpty(headerRange)
        ? "The lower boundary must be lower than or equal to the upper boundary in the Range header."
        : "Limit should be greater than or equal to zero.",
    );
  }
  const ranges = new Map(query.ranges);
  ranges.set("limit", combined);
  return { topLevelRange: combined, ranges };
}

/** The keys of a JSON body, or why PostgREST refuses it. */
function jsonPayload(raw: string, isCall: boolean): Payload {
  let value: unknown;
  if (raw === "" && isCall) value = {};
  else {
    try {
      value = JSON.parse(raw);
    } catch {
      throw invalidBody("Empty or invalid json");
    }
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(value)) return { kind: "json", raw: raw === "" ? "{}" : raw, keys: Object.keys(value) };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: "json", raw: "[]", keys: [] };
    if (!isObject(value[0])) throw invalidBody("All object keys must match");
    const keys = Object.keys(value[0]).sort().join("\u0000");
    if (!value.every((v) => isObject(v) && Object.keys(v).sort().join("\u0000") === keys)) {
      throw invalidBody("All object keys must match");
    }
    return { kind: "json", raw, keys: Object.keys(value[0]) };
  }
  // Scalars are taken as an empty array, as PostgREST does.
  return { kind: "json", raw: "[]", keys: [] };
}

function payloadFor(
  action: Action,
  body: string,
  contentType: MediaType,
  query: QueryParams,
): Payload | undefined {
  const parses = (action.kind === "mutate" && action.mutation !== "delete") ||
    (action.kind === "call" && action.method === "POST");
  if (!parses) return undefined;
  const isCall = action.kind === "call";
  if (contentType.kind === "json") {
    return query.columns !== undefined ? { kind: "raw-json", raw: body } : jsonPayload(body, isCall);
  }
  if (contentType.kind === "urlencoded") {
    const params = [...new URLSearchParams(body).entries()];
    if (isCall) return { kind: "form", params };
    const object = Object.fromEntries(params);
    return { kind: "json", raw: JSON.stringify(object), keys: Object.keys(object) };
  }
  throw invalidBody(
    `Content-Type not acceptable: ${contentType.kind === "other" ? contentType.mime : "text/csv"}`,
  );
}

function columnsOf(payload: Payload | undefined, query: QueryParams, action: Action): string[] {
  if (payload?.kind === "json") return sortedUnique(payload.keys);
  if (payload?.kind === "form") return sortedUnique(payload.params.map(([k]) => k));
  const usesColumns = action.kind === "call" || (action.kind === "mutate" && action.mutation !== "delete");
  return payload?.kind === "raw-json" && usesColumns ? sortedUnique(query.columns ?? []) : [];
}

function cookiesOf(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

export interface RequestContext {
  path: string;
  url: URL;
  body: string;
  schemas: string[];
  timezones: Set<string>;
}

export function parseApiRequest(req: Request, ctx: RequestContext): ApiRequest {
  const action = actionFor(ctx.path, req.method);
  const { schema, negotiatedByProfile } = schemaFor(req, ctx.schemas);
  // Kong's key-auth strips the API key before PostgREST sees the request.
  const search = new URLSearchParams(ctx.url.search);
  search.delete("apikey");
  const isRpcRead = action.kind === "call" && action.method !== "POST";
  const query = parseQueryParams(search, isRpcRead);
  const { topLevelRange, ranges } = rangesFor(req, query);
  const contentTypeHeader = req.headers.get("content-type");
  const contentType = contentTypeHeader === null
    ? { kind: "json" as const }
    : decodeMediaType(contentTypeHeader);
  const payload = payloadFor(action, ctx.body, contentType, query);
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    if (k !== "cookie") headers[k] = v;
  });
  return {
    action,
    schema,
    negotiatedByProfile,
    query,
    topLevelRange,
    ranges,
    payload,
    columns: columnsOf(payload, query, action),
    preferences: parsePreferences(req.headers.get("prefer"), ctx.timezones),
    accept: parseAccept(req.headers.get("accept")),
    contentType,
    method: req.method,
    path: ctx.path,
    headers,
    cookies: cookiesOf(req.headers.get("cookie")),
  };
}
