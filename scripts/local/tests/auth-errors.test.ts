// Bad tokens and bad requests get GoTrue's answers, and none of them takes the Auth service down.
import { deepStrictEqual, equal, match } from "node:assert/strict";
import { signJwt } from "../jwt.ts";
import { appClient, authFetch, cfg, signedInClient } from "../auth/testing.ts";

const VERSION = { "x-supabase-api-version": "2024-01-01" };

Deno.test("getUser with an expired or a forged token is refused as a bad JWT", async () => {
  const { client, user } = await signedInClient();
  const session = (await client.auth.getSession()).data.session!;
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: user.id, role: "authenticated", aud: "authenticated" };
  const expired = await signJwt({ ...claims, iat: now - 7200, exp: now - 3600 }, cfg.jwtSecret);
  const forged = await signJwt({ ...claims, exp: now + 3600 }, "not-the-project-secret-but-32-characters");
  for (const [token, problem] of [[expired, "token is expired"], [forged, "signature is invalid"]]) {
    const { data, error } = await appClient().auth.getUser(token);
    equal(data.user, null);
    equal(error?.status, 403);
    equal(error?.code, "bad_jwt");
    match(error!.message, new RegExp(`^invalid JWT: unable to parse or verify signature, .*${problem}`));
  }
  equal((await appClient().auth.getUser(session.access_token)).error, null, "the real token still works");
});

Deno.test("/user without a Bearer token, or with the API key's token, is refused", async () => {
  const basic = await authFetch("/user", { headers: { ...VERSION, authorization: "Basic dXNlcjpwYXNz" } });
  equal(basic.status, 401);
  deepStrictEqual(await basic.json(), {
    code: "no_authorization",
    message: "This endpoint requires a valid Bearer token",
  });
  const keyOnly = await authFetch("/user", { headers: VERSION });
  equal(keyOnly.status, 403);
  deepStrictEqual(await keyOnly.json(), { code: "bad_jwt", message: "invalid claim: missing sub claim" });
});

Deno.test("errors carry the 2024 shape and version header for supabase-js, the legacy shape otherwise", async () => {
  const body = JSON.stringify({ email: "nobody@atende.test", password: "whatever1" });
  const modern = await authFetch("/token?grant_type=password", { method: "POST", headers: VERSION, body });
  equal(modern.status, 400);
  equal(modern.headers.get("x-supabase-api-version"), "2024-01-01");
  equal(modern.headers.get("x-sb-error-code"), "invalid_credentials");
  deepStrictEqual(await modern.json(), { code: "invalid_credentials", message: "Invalid login credentials" });

  const legacy = await authFetch("/token?grant_type=password", { method: "POST", body });
  equal(legacy.headers.get("x-supabase-api-version"), null);
  deepStrictEqual(await legacy.json(), {
    code: 400,
    error_code: "invalid_credentials",
    msg: "Invalid login credentials",
  });
});

Deno.test("an unknown grant type is refused as GoTrue does", async () => {
  const res = await authFetch("/token?grant_type=magic", { method: "POST", headers: VERSION, body: "{}" });
  equal(res.status, 400);
  deepStrictEqual(await res.json(), { code: "invalid_credentials", message: "unsupported_grant_type" });
});

Deno.test("malformed JSON and wrongly typed fields are answered bad_json", async () => {
  for (
    const [body, detail] of [
      ['{"email": "a@b.c", ', /^Could not parse request body as JSON: /],
      ["", /unexpected end of JSON input$/],
      ['["a"]', /cannot unmarshal array into Go value of type api\.PasswordGrantParams$/],
      [
        '{"email": 5}',
        /cannot unmarshal number into Go struct field PasswordGrantParams\.email of type string$/,
      ],
    ] as const
  ) {
    const res = await authFetch("/token?grant_type=password", { method: "POST", headers: VERSION, body });
    equal(res.status, 400);
    const answer = await res.json();
    equal(answer.code, "bad_json");
    match(answer.message, detail);
  }
});

Deno.test("an oversized body is refused with 413 and the service keeps answering", async () => {
  const huge = JSON.stringify({ email: "a@b.c", password: "x".repeat(2 << 20) });
  const res = await authFetch("/signup", { method: "POST", headers: VERSION, body: huge });
  equal(res.status, 413);
  deepStrictEqual(await res.json(), {
    code: "request_entity_too_large",
    message: "Request body too large (max 1048576 bytes)",
  });
  const health = await authFetch("/health");
  equal(health.status, 200);
  deepStrictEqual(await health.json(), {
    version: "v2.189.0",
    name: "GoTrue",
    description: "GoTrue is a user registration and authentication API",
  });
});

Deno.test("an unknown path gets GoTrue's plain 404 and a wrong method an empty 405", async () => {
  const missing = await authFetch("/no-such-endpoint");
  equal(missing.status, 404);
  equal(await missing.text(), "404 page not found\n");
  const wrongMethod = await authFetch("/token");
  equal(wrongMethod.status, 405);
  equal(await wrongMethod.text(), "");
});

Deno.test("settings describe email sign-up with auto-confirmation", async () => {
  const res = await authFetch("/settings");
  const settings = await res.json();
  equal(settings.external.email, true);
  equal(settings.external.phone, false);
  equal(settings.disable_signup, false);
  equal(settings.mailer_autoconfirm, true);
});
