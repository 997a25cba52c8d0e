// PostgREST's error answers: one JSON shape `{code, message, details, hint}`, a `Proxy-Status` header naming the
// code, and the HTTP status PostgREST picks for each code or SQLSTATE (PostgREST src/PostgREST/Error.hs).

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A string, null, or (for ambiguous embeds) a JSON list. */
    readonly details: unknown = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): string {
    return JSON.stringify({ code: this.code, details: this.details, hint: this.hint, message: this.message });
  }
}

export function errorResponse(err: RestError): Response {
  return new Response(err.body(), {
    status: err.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "proxy-status": `PostgREST; error=${err.code}`,
      ...err.headers,
    },
  });
}

/** Haskell's `show` of a Text, as PostgREST writes it into `WWW-Authenticate`. */
const haskellShow = (s: string) => JSON.stringify(s);

export const jwtError = (code: "PGRST301" | "PGRST303", message: string, details: string | null = null) =>
  new RestError(401, code, message, details, null, {
    "www-authenticate": `Bearer error="invalid_token", error_description=${haskellShow(message)}`,
  });

export const queryParamError = (message: string, details: string) =>
  new RestError(400, "PGRST100", message, details);

export const invalidBody = (message: string) => new RestError(400, "PGRST102", message);

export const invalidSchema = (schema: string, exposed: string[]) =>
  new RestError(
    406,
    "PGRST106",
    `Invalid schema: ${schema}`,
    null,
    `Only the following schemas are exposed: ${exposed.join(", ")}`,
  );

export const singularityError = (rows: number) =>
  new RestError(
    406,
    "PGRST116",
    "Cannot coerce the result to a single JSON object",
    `The result contains ${rows} rows`,
  );

export const notEmbedded = (resource: string) =>
  new RestError(
    400,
    "PGRST108",
    `'${resource}' is not an embedded resource in this request`,
    null,
    `Verify that '${resource}' is included in the 'select' query parameter.`,
  );

export const outOfRange = (offset: number, total: number) =>
  new RestError(
    416,
    "PGRST103",
    "Requested range not satisfiable",
    `An offset of ${offset} was requested, but there are only ${total} rows.`,
  );

export const columnNotFound = (table: string, column: string) =>
  new RestError(400, "PGRST204", `Could not find the '${column}' column of '${table}' in the schema cache`);

/** What postgres.js hands us for a server error. */
export interface PgServerError {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function isPgServerError(e: unknown): e is PgServerError {
  return typeof e === "object" && e !== null && (e as { name?: string }).name === "PostgresError" &&
    typeof (e as PgServerError).code === "string";
}

function statusForSqlState(code: string, message: string, authenticated: boolean): number {
  const exact: Record<string, number> = {
    "23503": 409,
    "23505": 409,
    "25006": 405,
    "53400": 500,
    "57P01": 503,
    "P0001": 400,
    "42P01": 404,
    "42P17": 500,
  };
  if (code in exact) return exact[code];
  if (code === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500;
  if (code === "22023") return /^role .* does not exist$/.test(message) ? 401 : 400;
  if (code === "42883") return message.startsWith("function xmlagg(") ? 406 : 404;
  if (code === "42501") return authenticated ? 403 : 401;
  if (code.startsWith("PT")) {
    const n = Number(code.slice(2));
    return Number.isInteger(n) && n >= 100 && n <= 599 ? n : 500;
  }
  const byClass: Record<string, number> = {
    "08": 503,
    "09": 500,
    "0L": 403,
    "0P": 403,
    "25": 500,
    "28": 403,
    "2D": 500,
    "38": 500,
    "39": 500,
    "3B": 500,
    "40": 500,
    "53": 503,
    "54": 500,
    "55": 500,
    "57": 500,
    "58": 500,
    "F0": 500,
    "HV": 500,
    "P0": 500,
    "XX": 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

const pgrstParseError = (details: string, hint: string) =>
  new RestError(500, "PGRST121", `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`, details, hint);

/** `RAISE SQLSTATE 'PGRST' USING message = '{json}', detail = '{json}'`: the function picks code, status and headers. */
function raisedPgrst(e: PgServerError): RestError {
  const msgHint =
    "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.";
  const detHint =
    "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.";
  const parse = (s: string) => {
    try {
      const v = JSON.parse(s);
      return typeof v === "object" && v !== null && !Array.isArray(v) ? v : null;
    } catch {
      return null;
    }
  };
  const msg = parse(e.message);
  if (!msg || typeof msg.code !== "string" || typeof msg.message !== "string") {
    return pgrstParseError(`Invalid JSON value for MESSAGE: '${e.message}'`, msgHint);
  }
  if (e.detail === undefined) return pgrstParseError("DETAIL is missing in the RAISE statement", detHint);
  const det = parse(e.detail);
  if (!det || typeof det.status !== "number" || typeof det.headers !== "object" || det.headers === null) {
    return pgrstParseError(`Invalid JSON value for DETAIL: '${e.detail}'`, detHint);
  }
  const headers = Object.fromEntries(
    Object.entries(det.headers as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return new RestError(det.status, msg.code, msg.message, text(msg.details), text(msg.hint), headers);
}

/** Maps a Postgres error raised while serving a request; `authenticated` is "the role is not the anon role". */
export function fromPgError(e: PgServerError, authenticated: boolean): RestError {
  if (e.code === "PGRST") return raisedPgrst(e);
  const status = statusForSqlState(e.code, e.message, authenticated);
  return new RestError(
    status,
    e.code,
    e.message,
    e.detail ?? null,
    e.hint ?? null,
    status === 401 ? { "www-authenticate": "Bearer" } : {},
  );
}

/** postgres.js's codes for a lost or unreachable database, which PostgREST answers with 503 and a retry hint. */
const connectionCodes = ["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"];

export function connectionError(e: unknown): RestError | undefined {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== "string" || !(connectionCodes.includes(code) || code.startsWith("ECONN"))) {
    return undefined;
  }
  return new RestError(
    503,
    "PGRST000",
    "Database connection error. Retrying the connection.",
    (e as Error).message,
    null,
    { "retry-after": "0" },
  );
}
