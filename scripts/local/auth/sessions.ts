// Sessions and GoTrue's legacy (12-character) refresh tokens with rotation (internal/tokens/service.go
// RefreshTokenGrant, models/refresh_token.go, models/sessions.go). Each exchange revokes the token and issues its
// child; a revoked token whose child is the session's active token hands back that child (the client lost the
// answer), another revoked token is still exchanged within the reuse interval, and after it the whole token family
// is revoked and the answer is `refresh_token_already_used`.
import type { Sql, Tx } from "../db.ts";
import { AuthError, badRequest } from "./errors.ts";
import type { AuthSettings } from "./settings.ts";
import { randomAlphanumeric } from "./random.ts";
import { NIL_UUID } from "./users.ts";

/** What GoTrue records about the client on the session (`GrantParams.FillGrantParams`). */
export interface Client {
  userAgent: string | null;
  ip: string | null;
}

export interface IssuedSession {
  sessionId: string;
  userId: string;
  refreshToken: string;
  aal: string;
  /** Unix seconds of the sign-in, the timestamp of the session's `password` amr entry. */
  signedInAt: number;
}

/** GoTrue's legacy refresh tokens: 12 characters of [a-z0-9]. */
const newRefreshToken = () => randomAlphanumeric(12);

/** Signs a user in: a new session, its first refresh token, and `last_sign_in_at`. */
export async function startSession(tx: Tx, userId: string, client: Client): Promise<IssuedSession> {
  const refreshToken = newRefreshToken();
  const [row] = await tx`
    with session as (
      insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
      values (gen_random_uuid(), ${userId}, now(), now(), 'aal1', ${client.userAgent}, ${client.ip}::inet)
      returning id, aal, created_at
    ), token as (
      insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
      select ${NIL_UUID}, ${refreshToken}, ${userId}, false, now(), now(), id from session
    ), signed_in as (
      update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}
    )
    select id, aal, floor(extract(epoch from created_at))::int as signed_in_at from session`;
  return { sessionId: row.id, userId, refreshToken, aal: row.aal, signedInAt: row.signed_in_at };
}

/** `Invalid Refresh Token: …` answers; a failure after writes is returned, not thrown, so the writes commit. */
const refreshError = (code: string, detail: string) => badRequest(code, `Invalid Refresh Token: ${detail}`);

export function refreshSession(
  sql: Sql,
  token: string,
  settings: AuthSettings,
  client: Client,
): Promise<IssuedSession> {
  return sql.begin(async (tx): Promise<IssuedSession | AuthError> => {
    const [found] = await tx`
      select t.id, t.token, t.revoked, t.session_id, s.id is not null as has_session, u.id as user_id,
        u.banned_until > now() as banned, s.not_after < now() as past_not_after, s.aal,
        now() > t.updated_at + make_interval(secs => ${settings.refreshTokenReuseInterval}) as reuse_expired,
        floor(extract(epoch from s.created_at))::int as signed_in_at
      from auth.refresh_tokens t
      left join auth.sessions s on s.id = t.session_id
      left join auth.users u on u.id = t.user_id::uuid and u.instance_id = ${NIL_UUID}
      where t.token = ${token}
      for update of t`;
    if (!found || !found.user_id) return refreshError("refresh_token_not_found", "Refresh Token Not Found");
    if (found.banned) return refreshError("user_banned", "User Banned");
    if (!found.has_session) {
      await tx`delete from auth.refresh_tokens where id = ${found.id}`;
      return refreshError("session_not_found", "No Valid Session Found");
    }
    if (found.past_not_after) return refreshError("session_expired", "Session Expired");

    let issued: string | null = null;
    if (found.revoked) {
      const [active] = await tx`
        select token, parent from auth.refresh_tokens
        where session_id = ${found.session_id} and revoked = false order by id desc limit 1`;
      if (active?.parent === found.token) {
        issued = active.token;
      } else if (found.reuse_expired) {
        if (settings.refreshTokenRotation) {
          await tx`
            update auth.refresh_tokens set revoked = true, updated_at = now()
            where session_id = ${found.session_id} and revoked = false`;
        }
        return refreshError("refresh_token_already_used", "Already Used");
      }
    }
    if (!issued) {
      issued = newRefreshToken();
      await tx`
        with revoked as (
          update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${found.id}
        ), touched as (
          update auth.users set updated_at = now() where id = ${found.user_id}
        )
        insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent,
                                         session_id)
        values (${NIL_UUID}, ${issued}, ${found.user_id}, false, now(), now(), ${found.token}, ${found.session_id})`;
    }
    await tx`
      update auth.sessions set refreshed_at = now() at time zone 'UTC', updated_at = now(),
        user_agent = ${client.userAgent}, ip = ${client.ip}::inet
      where id = ${found.session_id}`;
    return {
      sessionId: found.session_id,
      userId: found.user_id,
      refreshToken: issued,
      aal: found.aal,
      signedInAt: found.signed_in_at,
    };
  }).then((outcome) => {
    if (outcome instanceof AuthError) throw outcome;
    return outcome;
  });
}

export type LogoutScope = "global" | "local" | "others";

/** Ends sessions; their refresh tokens go with them (foreign key cascade), as GoTrue deletes them. */
export async function endSessions(
  sql: Sql | Tx,
  userId: string,
  sessionId: string | null,
  scope: LogoutScope,
): Promise<void> {
  if (sessionId && scope === "local") {
    await sql`delete from auth.sessions where id = ${sessionId}`;
  } else if (sessionId && scope === "others") {
    await sql`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  } else {
    await sql`delete from auth.sessions where user_id = ${userId}`;
  }
}
