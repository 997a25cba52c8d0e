// Wraps a function's handler: CORS, the one error shape, and one log line per request.
import { HttpError } from "./errors.ts";
import { log, logError } from "./log.ts";

const allowOrigin = { "access-control-allow-origin": "*" };

/** A preflight's answer: which requests the browser may send. */
export const corsHeaders: Record<string, string> = {
  ...allowOrigin,
  "access-control-allow-headers": "authorization, x-client-info, apikey, content-type, x-atende-secret",
  "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
};

/**
 * A browser reads only the allowed origin on an actual response (the Fetch standard's CORS check); the allowed
 * headers and methods matter on preflights alone. Each header costs the server a few µs on every webhook answer.
 */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...allowOrigin, "content-type": "application/json", ...headers },
  });
}

export function errorResponse(status: number, code: string, message: string, details?: unknown): Response {
  return json({ error: { code, message, ...(details ? { details } : {}) } }, status);
}

export type Handler = (req: Request) => Promise<Response>;

export function serve(name: string, handler: Handler): Handler {
  return async (req) => {
    const started = performance.now();
    const path = new URL(req.url).pathname;
    if (req.method === "OPTIONS") return new Response("ok", { headers: corsHeaders });
    let res: Response;
    try {
      res = await handler(req);
    } catch (e) {
      if (e instanceof HttpError) {
        res = errorResponse(e.status, e.code, e.message, e.details);
      } else {
        logError({ fn: name, method: req.method, path }, e);
        res = errorResponse(
          500,
          "internal",
          "Something went wrong on our side; the request was not applied.",
        );
      }
    }
    log({
      fn: name,
      method: req.method,
      path,
      status: res.status,
      ms: Math.round(performance.now() - started),
    });
    return res;
  };
}
