// A supabase-js client acting as the calling user, so Row Level Security and the SQL functions' own checks apply.
import { createClient, type PostgrestError } from "npm:@supabase/supabase-js@2.119.1";
import { HttpError, unauthorized } from "./errors.ts";

export function userClient(req: Request) {
  const authorization = req.headers.get("authorization");
  if (!authorization) throw unauthorized("missing_jwt", "Sign in first.");
  return createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { authorization } },
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

/** SQL raises `PTnnn` with a stable code as message: that becomes the HTTP status and { error: { code } }. */
export function fromPostgrest(error: PostgrestError & { status?: number }): HttpError {
  const status = /^PT\d{3}$/.test(error.code)
    ? Number(error.code.slice(2))
    : error.code === "42501"
    ? 403
    : 500;
  if (status >= 500) return new HttpError(500, "internal", "The database could not complete the request.");
  return new HttpError(status, error.message, error.details ?? error.message, detailsOf(error.details));
}

/** SQL may put a JSON object in DETAIL (e.g. who won an assignment race); pass it on as `details`. */
function detailsOf(details: string | null): Record<string, unknown> | undefined {
  if (!details?.startsWith("{")) return undefined;
  try {
    return JSON.parse(details);
  } catch {
    return undefined;
  }
}
