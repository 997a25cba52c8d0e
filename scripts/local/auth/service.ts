// `/auth/v1`: the subset of GoTrue (supabase/auth) that supabase-js needs for email and password accounts, kept in
// the same tables GoTrue uses. Routing is GoTrue's (internal/api/api.go, chi): an unknown path is chi's plain
// "404 page not found", a known path with another method an empty 405.
import type { ServiceHandler } from "../gateway.ts";
import { json } from "../http.ts";
import { createUser, deleteUserById, getUserById, listUsers, updateUserById } from "./admin.ts";
import { getUser, logout, updateUser } from "./account.ts";
import type { Route } from "./context.ts";
import { errorResponse } from "./errors.ts";
import { token } from "./grants.ts";
import { type AuthSettings, loadAuthSettings } from "./settings.ts";
import { signup } from "./signup.ts";

/** The GoTrue release the Supabase CLI runs (its Dockerfile pins supabase/gotrue v2.189.0), whose answers these are. */
const GOTRUE_VERSION = "v2.189.0";

const health: Route = () =>
  Promise.resolve(json({
    version: GOTRUE_VERSION,
    name: "GoTrue",
    description: "GoTrue is a user registration and authentication API",
  }));

const PROVIDERS = [
  "anonymous_users",
  "apple",
  "azure",
  "bitbucket",
  "discord",
  "facebook",
  "snapchat",
  "figma",
  "fly",
  "github",
  "gitlab",
  "google",
  "keycloak",
  "kakao",
  "linkedin",
  "linkedin_oidc",
  "notion",
  "spotify",
  "slack",
  "slack_oidc",
  "workos",
  "twitch",
  "twitter",
  "email",
  "phone",
  "zoom",
];

const settingsRoute: Route = (_req, ctx) =>
  Promise.resolve(json({
    external: Object.fromEntries(PROVIDERS.map((p) => [p, p === "email" && ctx.settings.emailEnabled])),
    disable_signup: ctx.settings.disableSignup,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
    passkeys_enabled: false,
  }));

const ROUTES: [RegExp, Record<string, Route>][] = [
  [/^\/health$/, { GET: health }],
  [/^\/settings$/, { GET: settingsRoute }],
  [/^\/token$/, { POST: token }],
  [/^\/signup$/, { POST: signup }],
  [/^\/user$/, { GET: getUser, PUT: updateUser }],
  [/^\/logout$/, { POST: logout }],
  [/^\/admin\/users$/, { GET: listUsers, POST: createUser }],
  [/^\/admin\/users\/([^/]+)$/, { GET: getUserById, PUT: updateUserById, DELETE: deleteUserById }],
];

export function authService(): ServiceHandler {
  let settings: Promise<AuthSettings> | undefined;
  return async (req, ctx) => {
    // chi mounts each route group so that "/user" and "/user/" reach the same handler.
    const path = ctx.path.length > 1 ? ctx.path.replace(/\/$/, "") : ctx.path;
    const match = ROUTES.map(([pattern, methods]) => [path.match(pattern), methods] as const)
      .find(([m]) => m);
    if (!match) {
      return new Response("404 page not found\n", {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
      });
    }
    const [found, methods] = match;
    const route = methods[req.method];
    if (!route) return new Response(null, { status: 405 });
    settings ??= loadAuthSettings(ctx.cfg.supabaseDir);
    try {
      return await route(req, { ...ctx, settings: await settings }, found![1]);
    } catch (e) {
      return errorResponse(req, e);
    }
  };
}
