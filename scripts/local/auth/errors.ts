// GoTrue's error answers (supabase/auth internal/api/errors.go, apierrors/apierrors.go). A request that carries
// `X-Supabase-Api-Version` >= 2024-01-01 (auth-js always sends it) gets `{code, message}` and the version echoed;
// any other request gets the legacy `{code: <status>, error_code, msg}`.
import postgres from "npm:postgres@3.4.9";
import { json } from "../http.ts";

const VERSION_HEADER = "X-Supabase-Api-Version";
const VERSION_2024 = "2024-01-01";

/** An error with an HTTP status and one of GoTrue's error codes (`apierrors.HTTPError`). */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level fields, e.g. `weak_password: {reasons}`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);
export const internal = (message: string) => new AuthError(500, "unexpected_failure", message);

/** What this offline subset leaves out is refused plainly rather than ignored. */
export const unsupported = (what: string) =>
  badRequest("validation_failed", `${what} are not supported by the offline stack`);

/** A failed statement becomes GoTrue's 500 with the wording GoTrue uses at that step. */
export const asDatabaseError = (message: string) => (e: unknown): never => {
  throw e instanceof postgres.PostgresError ? internal(message) : e;
};

export const weakPassword = (message: string, reasons: string[]) =>
  new AuthError(422, "weak_password", message, { weak_password: { reasons } });

/** `DetermineClosestAPIVersion`: a strict YYYY-MM-DD on or after 2024-01-01 selects the 2024 shape. */
function usesVersion2024(req: Request): boolean {
  const value = req.headers.get(VERSION_HEADER) ?? "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value) && value >= VERSION_2024;
}

export function errorResponse(req: Request, err: unknown): Response {
  const modern = usesVersion2024(req);
  const headers: Record<string, string> = modern ? { [VERSION_HEADER]: VERSION_2024 } : {};
  if (!(err instanceof AuthError)) {
    console.error("auth: unexpected failure", err);
    const message = "Unexpected failure, please check server logs for more information";
    return json(
      modern
        ? { code: "unexpected_failure", message }
        : { code: 500, error_code: "unexpected_failure", msg: message },
      500,
      headers,
    );
  }
  // GoTrue's weak-password path builds its own body and skips the error-code header in the 2024 shape.
  if (!(modern && err.code === "weak_password")) headers["x-sb-error-code"] = err.code;
  const body = modern ? { code: err.code, message: err.message, ...err.extra } : {
    code: err.status,
    error_code: err.code,
    msg: err.message,
    ...(err.status >= 500 ? { error_id: crypto.randomUUID() } : {}),
    ...err.extra,
  };
  return json(body, err.status, headers);
}
