// POST /signup with an email and password, as GoTrue answers it with email auto-confirmation on (internal/api/
// signup.go, api.go's /signup route): the user is created, confirmed and signed in at once. An address whose user
// is already confirmed is refused; one whose user never confirmed is confirmed and signed in, as GoTrue does.
import { json } from "../http.ts";
import { audienceOf, clientOf, type Route } from "./context.ts";
import { asDatabaseError, badRequest, unprocessable } from "./errors.ts";
import { readParams } from "./params.ts";
import { startSession } from "./sessions.ts";
import { sessionBody } from "./tokens.ts";
import {
  confirmEmail,
  findUserByEmail,
  insertEmailIdentity,
  insertUser,
  loadUser,
  type User,
} from "./users.ts";
import { checkPasswordStrength, validateEmail } from "./validation.ts";

export const signup: Route = async (req, ctx) => {
  const params = await readParams(req, ctx.cfg.maxBodyBytes, "SignupParams", {
    email: "string",
    phone: "string",
    password: "string",
    data: "map",
  });
  if (!params.email && !params.phone) {
    throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
  }
  if (ctx.settings.disableSignup) {
    throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  }
  if (!params.password) throw badRequest("validation_failed", "Signup requires a valid password");
  checkPasswordStrength(params.password, ctx.settings.minimumPasswordLength);
  if (params.email && params.phone) {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided on signup.",
    );
  }
  if (params.phone) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
  if (!ctx.settings.emailEnabled) throw badRequest("email_provider_disabled", "Email signups are disabled");
  const email = validateEmail(params.email!);
  const data = params.data ?? {};

  const aud = audienceOf(req);
  const existing = await findUserByEmail(ctx.sql, email, aud);
  if (existing?.confirmed) throw unprocessable("user_already_exists", "User already registered");

  const session = await ctx.sql.begin(async (tx) => {
    const userId = existing?.id ?? crypto.randomUUID();
    if (!existing) {
      await insertUser(tx, {
        id: userId,
        aud,
        role: "authenticated",
        email,
        secret: { password: params.password! },
        userMetadata: data,
        appMetadata: { provider: "email", providers: ["email"] },
      });
    }
    await insertEmailIdentity(tx, userId, email, data);
    await confirmEmail(tx, userId);
    return await startSession(tx, userId, clientOf(req, ctx));
  }).catch(asDatabaseError("Database error saving new user"));
  const user = await loadUser(ctx.sql, session.userId) as User;
  return json(await sessionBody(ctx.cfg, user, session));
};
