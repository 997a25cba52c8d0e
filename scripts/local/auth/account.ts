// The signed-in user's own endpoints: GET and PUT /user, POST /logout (internal/api/user.go, logout.go).
import type { Tx } from "../db.ts";
import { json } from "../http.ts";
import { authenticate } from "./authenticate.ts";
import type { Route } from "./context.ts";
import { badRequest, forbidden, unprocessable, unsupported } from "./errors.ts";
import { readParams } from "./params.ts";
import { endSessions, type LogoutScope } from "./sessions.ts";
import { findUserByEmail, loadUser, passwordMatches, updateMetadata, updatePassword } from "./users.ts";
import { checkPasswordStrength, validateEmail } from "./validation.ts";

export const getUser: Route = async (req, ctx) => {
  const { user } = await authenticate(req, ctx.sql, ctx.cfg.jwtSecret);
  return json(user);
};

/**
 * A new address only becomes the user's after it is confirmed from an email, so GoTrue records it as pending
 * (`new_email`) and keeps the old one; with no mail server offline, an admin update is the way to change it.
 */
async function requestEmailChange(tx: Tx, userId: string, email: string): Promise<void> {
  await tx`
    update auth.users set email_change = ${email}, email_change_sent_at = now(), email_change_confirm_status = 0,
      updated_at = now()
    where id = ${userId}`;
}

async function samePassword(tx: Tx, userId: string, password: string): Promise<boolean> {
  const matches = passwordMatches(tx, password);
  const [row] = await tx`select ${matches} as same from auth.users where id = ${userId}`;
  return row.same;
}

export const updateUser: Route = async (req, ctx) => {
  const caller = await authenticate(req, ctx.sql, ctx.cfg.jwtSecret);
  const params = await readParams(req, ctx.cfg.maxBodyBytes, "UserUpdateParams", {
    email: "string",
    password: "string",
    data: "map",
    app_metadata: "map",
    phone: "string",
  });
  const email = params.email ? validateEmail(params.email) : "";
  if (params.phone) throw unsupported("Phone numbers");
  if (params.password !== undefined) {
    checkPasswordStrength(params.password, ctx.settings.minimumPasswordLength);
  }
  const { user } = caller;
  if (params.app_metadata && user.role !== "admin") {
    throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  }
  const changesEmail = email !== "" && email !== user.email;
  if (changesEmail && await findUserByEmail(ctx.sql, email, user.aud, user.id)) {
    throw unprocessable("email_exists", "A user with this email address has already been registered");
  }

  await ctx.sql.begin(async (tx) => {
    if (params.password !== undefined) {
      if (await samePassword(tx, user.id, params.password)) {
        throw unprocessable("same_password", "New password should be different from the old password.");
      }
      // A new password ends the user's other sessions; this one stays signed in.
      await updatePassword(tx, user.id, params.password);
      await endSessions(tx, user.id, caller.sessionId, "others");
    }
    if (params.data) await updateMetadata(tx, user.id, "raw_user_meta_data", params.data);
    if (params.app_metadata) await updateMetadata(tx, user.id, "raw_app_meta_data", params.app_metadata);
    if (changesEmail) await requestEmailChange(tx, user.id, email);
  });
  return json(await loadUser(ctx.sql, user.id));
};

const SCOPES: LogoutScope[] = ["global", "local", "others"];

export const logout: Route = async (req, ctx) => {
  const caller = await authenticate(req, ctx.sql, ctx.cfg.jwtSecret);
  const scope = ctx.url.searchParams.get("scope") || "global";
  if (!SCOPES.includes(scope as LogoutScope)) {
    throw badRequest("validation_failed", `Unsupported logout scope ${JSON.stringify(scope)}`);
  }
  await endSessions(ctx.sql, caller.user.id, caller.sessionId, scope as LogoutScope);
  return new Response(null, { status: 204 });
};
