// One shape for every failure the console shows: PostgREST, Auth, edge functions and the network all become
// { status, code, message }. Forms map the code to text; status 0 means the network, not the server.
export interface AppError {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null;

export function isAppError(e: unknown): e is AppError {
  return isObject(e) && typeof e.status === "number" && typeof e.code === "string" && e.appError === true;
}

function make(status: number, code: string, message: string, details?: Loose): AppError {
  const error = { status, code, message, details } as AppError;
  Object.defineProperty(error, "appError", { value: true });
  return error;
}

function isNetworkFailure(e: unknown): boolean {
  if (isObject(e) && (e.name === "FunctionsFetchError" || e.name === "AuthRetryableFetchError")) return true;
  return e instanceof TypeError && /fetch|network|load failed/i.test(e.message);
}

/**
 * `error` may be: an AppError; a function's answer body `{ error: { code, message, details } }` with the HTTP
 * status beside it; a PostgrestError (our SQL raises its stable code as the message of P0001); an AuthError;
 * a failed fetch. Anything else is an internal error.
 */
export function toAppError(error: unknown, status?: number): AppError {
  if (isAppError(error)) return error;
  if (isNetworkFailure(error)) return make(0, "network", "network unreachable");
  if (isObject(error) && isObject(error.error) && typeof error.error.code === "string") {
    const body = error.error;
    return make(status ?? 500, body.code as string, String(body.message ?? body.code),
      isObject(body.details) ? body.details : undefined);
  }
  if (isObject(error) && typeof error.code === "string" && "details" in error && "hint" in error) {
    const raised = /^(P0001|PT\d{3})$/.test(error.code) && /^[a-z_]+$/.test(String(error.message));
    return make(status ?? 400, raised ? String(error.message) : error.code, String(error.message));
  }
  if (isObject(error) && error.__isAuthError === true) {
    const code = typeof error.code === "string" ? error.code : "auth_error";
    return make(typeof error.status === "number" ? error.status : 400, code, String(error.message));
  }
  if (isObject(error) && typeof error.code === "string" && typeof error.message === "string") {
    return make(status ?? 500, error.code, error.message);
  }
  return make(500, "internal", error instanceof Error ? error.message : String(error));
}

/** Whether trying the same request again later may succeed (network down, server error, rate limit). */
export function isRetryable(error: AppError): boolean {
  return error.status === 0 || error.status >= 500 || error.status === 429 || error.status === 408;
}
