// Signing in, refreshing and signing out through supabase-js, answered as GoTrue answers them.
import { deepStrictEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { waitFor } from "../../test/wait.ts";
import {
  adminClient,
  appClient,
  cfg,
  claimsOf,
  newEmail,
  newUser,
  signedInClient,
  withSql,
} from "../auth/testing.ts";

Deno.test("signing in returns a session whose access token carries GoTrue's claims", async () => {
  const { user, email, password } = await newUser();
  const before = Math.floor(Date.now() / 1000);
  const { data, error } = await appClient().auth.signInWithPassword({ email, password });
  equal(error, null);
  const session = data.session!;
  equal(session.token_type, "bearer");
  equal(session.expires_in, cfg.jwtExpiry);
  match(session.refresh_token, /^[a-z0-9]{12}$/);
  equal(data.user!.id, user.id);
  ok(data.user!.last_sign_in_at, "the user shows when they last signed in");

  const claims = claimsOf(session.access_token);
  deepStrictEqual(Object.keys(claims), [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "email",
    "phone",
    "app_metadata",
    "user_metadata",
    "role",
    "aal",
    "amr",
    "session_id",
    "is_anonymous",
  ]);
  equal(claims.iss, `${cfg.apiUrl}/auth/v1`);
  equal(claims.sub, user.id);
  equal(claims.aud, "authenticated");
  equal(claims.role, "authenticated");
  equal(claims.email, email);
  equal(claims.phone, "");
  deepStrictEqual(claims.app_metadata, { provider: "email", providers: ["email"] });
  deepStrictEqual(claims.user_metadata, { email_verified: true });
  equal(claims.aal, "aal1");
  equal(claims.is_anonymous, false);
  equal(Number(claims.exp) - Number(claims.iat), cfg.jwtExpiry);
  ok(Number(claims.iat) >= before);
  const [amr] = claims.amr as { method: string; timestamp: number }[];
  equal(amr.method, "password");
  ok(amr.timestamp >= before);
  equal(session.expires_at, claims.exp);

  const stored = await withSql((sql) =>
    sql`select user_id from auth.sessions where id = ${claims.session_id as string}`
  );
  equal(stored[0].user_id, user.id);
});

Deno.test("a wrong password or an unknown email is refused as invalid credentials", async () => {
  const { email } = await newUser();
  for (
    const attempt of [{ email, password: "not-the-password" }, { email: `x${email}`, password: "whatever1" }]
  ) {
    const { data, error } = await appClient().auth.signInWithPassword(attempt);
    equal(data.session, null);
    equal(error?.status, 400);
    equal(error?.code, "invalid_credentials");
    equal(error?.message, "Invalid login credentials");
  }
});

Deno.test("a password that no longer meets the rules still signs in, and the answer says why it is weak", async () => {
  const email = newEmail();
  await adminClient().auth.admin.createUser({ email, password: "12345", email_confirm: true });
  const { data, error } = await appClient().auth.signInWithPassword({ email, password: "12345" });
  equal(error, null);
  ok(data.session);
  deepStrictEqual(data.weakPassword, {
    message: "Password should be at least 6 characters.",
    reasons: ["length"],
  });
});

Deno.test("a user the admin created unconfirmed cannot sign in until confirmed", async () => {
  const email = newEmail();
  await adminClient().auth.admin.createUser({ email, password: "correct-horse-1" });
  const { error } = await appClient().auth.signInWithPassword({ email, password: "correct-horse-1" });
  equal(error?.status, 400);
  equal(error?.code, "email_not_confirmed");
});

Deno.test("refreshing rotates the refresh token and keeps the session", async () => {
  const { client } = await signedInClient();
  const first = (await client.auth.getSession()).data.session!;
  const { data, error } = await client.auth.refreshSession();
  equal(error, null);
  const second = data.session!;
  notEqual(second.refresh_token, first.refresh_token);
  equal(claimsOf(second.access_token).session_id, claimsOf(first.access_token).session_id);
  const tokens = await withSql((sql) =>
    sql`select token, revoked, parent from auth.refresh_tokens
        where session_id = ${claimsOf(first.access_token).session_id as string} order by id`
  );
  deepStrictEqual(tokens.map((t) => ({ ...t })), [
    { token: first.refresh_token, revoked: true, parent: null },
    { token: second.refresh_token, revoked: false, parent: first.refresh_token },
  ]);
});

Deno.test("a client that lost the refresh answer gets the current refresh token back for its old one", async () => {
  const { client } = await signedInClient();
  const old = (await client.auth.getSession()).data.session!.refresh_token;
  const current = (await client.auth.refreshSession()).data.session!.refresh_token;
  const { data, error } = await appClient().auth.refreshSession({ refresh_token: old });
  equal(error, null);
  equal(data.session!.refresh_token, current);
});

Deno.test("two tabs refreshing the same token at once both stay signed in with the same new token", async () => {
  const { client } = await signedInClient();
  const shared = (await client.auth.getSession()).data.session!.refresh_token;
  const results = await Promise.all(
    [appClient(), appClient(), appClient()].map((tab) => tab.auth.refreshSession({ refresh_token: shared })),
  );
  deepStrictEqual(results.map((r) => r.error), [null, null, null]);
  equal(new Set(results.map((r) => r.data.session!.refresh_token)).size, 1);
});

Deno.test("a refresh token reused after the reuse window is refused and revokes the session's tokens", async () => {
  const { client } = await signedInClient();
  const first = (await client.auth.getSession()).data.session!;
  await client.auth.refreshSession();
  const latest = (await client.auth.refreshSession()).data.session!;
  const sessionId = claimsOf(first.access_token).session_id as string;
  // GoTrue allows reuse for 10 s after a token is revoked; move the session's tokens past that window.
  const ageTokens = () =>
    withSql((sql) =>
      sql`update auth.refresh_tokens set updated_at = updated_at - interval '11 seconds'
          where session_id = ${sessionId}`
    );
  await ageTokens();

  const reused = await appClient().auth.refreshSession({ refresh_token: first.refresh_token });
  equal(reused.data.session, null);
  equal(reused.error?.status, 400);
  equal(reused.error?.code, "refresh_token_already_used");
  equal(reused.error?.message, "Invalid Refresh Token: Already Used");
  const active = await withSql((sql) =>
    sql`select count(*)::int as n from auth.refresh_tokens where session_id = ${sessionId} and not revoked`
  );
  equal(active[0].n, 0);

  await ageTokens();
  const { error } = await appClient().auth.refreshSession({ refresh_token: latest.refresh_token });
  equal(error?.code, "refresh_token_already_used");
});

Deno.test("an unknown refresh token is not found, and a malformed one is invalid", async () => {
  const unknown = await appClient().auth.refreshSession({ refresh_token: "abcdefghijkl" });
  equal(unknown.error?.status, 400);
  equal(unknown.error?.code, "refresh_token_not_found");
  const malformed = await appClient().auth.refreshSession({ refresh_token: "short" });
  equal(malformed.error?.code, "validation_failed");
  equal(malformed.error?.message, "Refresh token is not valid");
});

Deno.test("getUser works while signed in and fails once the session is signed out", async () => {
  const { client, user } = await signedInClient();
  const accessToken = (await client.auth.getSession()).data.session!.access_token;
  const { data, error } = await client.auth.getUser();
  equal(error, null);
  equal(data.user!.id, user.id);

  equal((await client.auth.signOut()).error, null);
  const after = await appClient().auth.getUser(accessToken);
  equal(after.data.user, null);
  equal(after.error?.name, "AuthSessionMissingError");
  const stored = await withSql((sql) =>
    sql`select count(*)::int as n from auth.sessions where user_id = ${user.id}`
  );
  equal(stored[0].n, 0);
});

Deno.test("signing out with scope others or local ends only those sessions", async () => {
  const { email, password } = await newUser();
  const sessions = [];
  for (let i = 0; i < 3; i++) {
    const client = appClient();
    await client.auth.signInWithPassword({ email, password });
    sessions.push({ client, token: (await client.auth.getSession()).data.session!.access_token });
  }
  const signedIn = async (token: string) => (await appClient().auth.getUser(token)).error === null;

  equal((await sessions[0].client.auth.signOut({ scope: "others" })).error, null);
  deepStrictEqual(await Promise.all(sessions.map((s) => signedIn(s.token))), [true, false, false]);

  equal((await sessions[0].client.auth.signOut({ scope: "local" })).error, null);
  equal(await signedIn(sessions[0].token), false);
});

Deno.test("onAuthStateChange sees SIGNED_IN, TOKEN_REFRESHED and SIGNED_OUT", async () => {
  const { email, password } = await newUser();
  const client = appClient();
  const events: string[] = [];
  const { data: { subscription } } = client.auth.onAuthStateChange((event) => {
    if (event !== "INITIAL_SESSION") events.push(event);
  });
  try {
    await client.auth.signInWithPassword({ email, password });
    await waitFor("SIGNED_IN", () => events.includes("SIGNED_IN"));
    await client.auth.refreshSession();
    await waitFor("TOKEN_REFRESHED", () => events.includes("TOKEN_REFRESHED"));
    await client.auth.signOut();
    await waitFor("SIGNED_OUT", () => events.includes("SIGNED_OUT"));
    deepStrictEqual(events, ["SIGNED_IN", "TOKEN_REFRESHED", "SIGNED_OUT"]);
  } finally {
    subscription.unsubscribe();
  }
});
