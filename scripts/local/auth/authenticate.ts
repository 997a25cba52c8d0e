// Who is calling, checked as GoTrue checks it (internal/api/auth.go, middleware.go): a Bearer JWT signed with the
// project secret; for user endpoints its `sub` must be an existing user and its `session_id` a live session; for
// admin endpoints its role must be `service_role` (GOTRUE_JWT_ADMIN_ROLES as the CLI sets it).
import type { Sql } from "../db.ts";
import { type Claims, JwtError, verifyJwt } from "../jwt.ts";
import { AuthError, badRequest, forbidden } from "./errors.ts";
import { loadUser, NIL_UUID, type User } from "./users.ts";
import { isUuid } from "./validation.ts";

const ADMIN_ROLES = ["service_role"];

export interface Caller {
  user: User;
  sessionId: string | null;
}

function bearerToken(req: Request): string {
  const m = (req.headers.get("authorization") ?? "").match(/^bearer (\S+)$/i);
  if (!m) throw new AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  return m[1];
}

/** golang-jwt's wording for why a token was refused. */
function jwtProblem(token: string, e: unknown): string {
  if (e instanceof JwtError && e.reason === "expired") return "token has invalid claims: token is expired";
  const message = e instanceof Error ? e.message : String(e);
  if (/signature/i.test(message)) return "token signature is invalid: signature is invalid";
  if (/claim/i.test(message)) return `token has invalid claims: ${message}`;
  if (token.split(".").length !== 3) {
    return "token is malformed: token contains an invalid number of segments";
  }
  return "token is malformed: could not JSON decode header";
}

async function parseClaims(req: Request, secret: string): Promise<Claims> {
  const token = bearerToken(req);
  try {
    return await verifyJwt(token, secret);
  } catch (e) {
    throw forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${jwtProblem(token, e)}`);
  }
}

/** The `session_id` claim, unless absent, empty or the nil UUID (tokens not tied to a session). */
function sessionIdOf(claims: Claims): string | null {
  const id = claims.session_id;
  return typeof id === "string" && id !== "" && id !== NIL_UUID ? id : null;
}

/** `maybeLoadUserOrSession`: the user named by `sub` and, when the token names one, its session. */
async function loadCaller(sql: Sql, claims: Claims): Promise<Caller> {
  if (!claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!isUuid(claims.sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await loadUser(sql, claims.sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  const sessionId = sessionIdOf(claims);
  if (sessionId) {
    if (!isUuid(sessionId)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    const [session] = await sql`select 1 from auth.sessions where id = ${sessionId}`;
    if (!session) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  }
  return { user, sessionId };
}

/** `requireAuthentication`, in front of /user and /logout. */
export async function authenticate(req: Request, sql: Sql, secret: string): Promise<Caller> {
  return await loadCaller(sql, await parseClaims(req, secret));
}

/** `requireAdminCredentials`: any valid token whose role is an admin role. */
export async function requireAdmin(req: Request, secret: string): Promise<void> {
  const claims = await parseClaims(req, secret);
  if (!ADMIN_ROLES.includes(String(claims.role))) throw forbidden("not_admin", "User not allowed");
}
