// POST /token: the password and refresh_token grants (internal/api/token.go, token_refresh.go).
import type { Sql } from "../db.ts";
import { json } from "../http.ts";
import { audienceOf, clientOf, type Route } from "./context.ts";
import { AuthError, badRequest, unprocessable } from "./errors.ts";
import { readParams } from "./params.ts";
import { refreshSession, startSession } from "./sessions.ts";
import { sessionBody, type WeakPassword } from "./tokens.ts";
import { loadUser, NIL_UUID, passwordMatches, type User } from "./users.ts";
import { checkPasswordStrength } from "./validation.ts";

const INVALID_LOGIN = "Invalid login credentials";

/** The user an email names, and whether the password is theirs (bcrypt through pgcrypto). */
async function checkPassword(sql: Sql, email: string, aud: string, password: string) {
  const matches = passwordMatches(sql, password);
  const [row] = await sql`
    select u.id, u.email_confirmed_at is not null as confirmed, u.banned_until > now() as banned,
      coalesce(u.encrypted_password, '') <> '' as has_password, ${matches} as password_ok
    from auth.users u
    where u.instance_id = ${NIL_UUID} and lower(u.email) = ${email.toLowerCase()} and u.aud = ${aud}
      and not u.is_sso_user`;
  return row;
}

/** A right password that no longer meets the rules still signs in; the answer says why it is weak. */
function weakness(password: string, minimumLength: number): WeakPassword | undefined {
  try {
    checkPasswordStrength(password, minimumLength);
  } catch (e) {
    if (e instanceof AuthError && e.code === "weak_password") {
      return { message: e.message, reasons: (e.extra.weak_password as { reasons: string[] }).reasons };
    }
  }
  return undefined;
}

const passwordGrant: Route = async (req, ctx) => {
  const params = await readParams(req, ctx.cfg.maxBodyBytes, "PasswordGrantParams", {
    email: "string",
    phone: "string",
    password: "string",
  });
  const email = params.email ?? "";
  const password = params.password ?? "";
  if (email && params.phone) {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided on login.",
    );
  }
  if (params.phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  if (!email) throw badRequest("validation_failed", "missing email or phone");
  if (!ctx.settings.emailEnabled) throw unprocessable("email_provider_disabled", "Email logins are disabled");

  const found = await checkPassword(ctx.sql, email, audienceOf(req), password);
  if (!found || !found.has_password) throw badRequest("invalid_credentials", INVALID_LOGIN);
  if (found.banned) throw badRequest("user_banned", "User is banned");
  if (!found.password_ok) throw badRequest("invalid_credentials", INVALID_LOGIN);
  if (!found.confirmed) throw badRequest("email_not_confirmed", "Email not confirmed");

  const session = await ctx.sql.begin((tx) => startSession(tx, found.id, clientOf(req, ctx)));
  const user = await loadUser(ctx.sql, found.id) as User;
  return json(
    await sessionBody(ctx.cfg, user, session, weakness(password, ctx.settings.minimumPasswordLength)),
  );
};

const refreshTokenGrant: Route = async (req, ctx) => {
  const params = await readParams(req, ctx.cfg.maxBodyBytes, "RefreshTokenGrantParams", {
    refresh_token: "string",
  });
  // Only legacy tokens are issued here; GoTrue's longer v2 tokens would not verify against this database anyway.
  if (!/^[a-z0-9]{12}$/.test(params.refresh_token ?? "")) {
    throw badRequest("validation_failed", "Refresh token is not valid");
  }
  const session = await refreshSession(ctx.sql, params.refresh_token!, ctx.settings, clientOf(req, ctx));
  const user = await loadUser(ctx.sql, session.userId) as User;
  return json(await sessionBody(ctx.cfg, user, session));
};

export const token: Route = async (req, ctx) => {
  switch (ctx.url.searchParams.get("grant_type")) {
    case "password":
      return await passwordGrant(req, ctx);
    case "refresh_token":
      return await refreshTokenGrant(req, ctx);
    default:
      throw badRequest("invalid_credentials", "unsupported_grant_type");
  }
};
