// Signing up and changing one's own account through supabase-js, answered as GoTrue answers them.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { AuthWeakPasswordError } from "npm:@supabase/supabase-js@2.119.1";
import {
  adminClient,
  appClient,
  authFetch,
  claimsOf,
  newEmail,
  signedInClient,
  withSql,
} from "../auth/testing.ts";

Deno.test("signing up confirms the address at once and signs the user in", async () => {
  const email = newEmail("Signup");
  const { data, error } = await appClient().auth.signUp({
    email,
    password: "a-good-password",
    options: { data: { display_name: "Dora" } },
  });
  equal(error, null);
  const user = data.user!;
  equal(user.email, email.toLowerCase());
  ok(user.email_confirmed_at, "auto-confirmed, as the CLI's local config does");
  deepStrictEqual(user.user_metadata, { display_name: "Dora", email_verified: true });
  deepStrictEqual(user.app_metadata, { provider: "email", providers: ["email"] });
  equal(user.identities?.length, 1);
  equal(user.identities![0].provider, "email");
  deepStrictEqual(user.identities![0].identity_data, {
    display_name: "Dora",
    email: email.toLowerCase(),
    email_verified: false,
    phone_verified: false,
    sub: user.id,
  });
  equal(claimsOf(data.session!.access_token).sub, user.id);

  const [row] = await withSql((sql) => sql`select encrypted_password from auth.users where id = ${user.id}`);
  ok(row.encrypted_password.startsWith("$2a$10$"), "stored as a bcrypt hash");
});

Deno.test("signing up again with a registered address is refused", async () => {
  const email = newEmail();
  await appClient().auth.signUp({ email, password: "a-good-password" });
  const { data, error } = await appClient().auth.signUp({ email, password: "another-password" });
  equal(data.session, null);
  equal(error?.status, 422);
  equal(error?.code, "user_already_exists");
  equal(error?.message, "User already registered");
});

Deno.test("signing up with the address of a user who never confirmed confirms and signs in that user", async () => {
  const email = newEmail();
  const created = await adminClient().auth.admin.createUser({ email, password: "first-password" });
  const { data, error } = await appClient().auth.signUp({ email, password: "second-password" });
  equal(error, null);
  equal(data.user!.id, created.data.user!.id);
  ok(data.user!.email_confirmed_at);
  ok(data.session, "GoTrue signs in the existing user when confirmation is automatic");
});

Deno.test("signing up with a password under 6 characters is refused as weak", async () => {
  const { error } = await appClient().auth.signUp({ email: newEmail(), password: "12345" });
  ok(error instanceof AuthWeakPasswordError, `expected a weak password error, got ${error}`);
  equal(error.status, 422);
  equal(error.code, "weak_password");
  deepStrictEqual(error.reasons, ["length"]);
  equal(error.message, "Password should be at least 6 characters.");
});

Deno.test("signing up with an invalid email address is refused", async () => {
  const { error } = await appClient().auth.signUp({ email: "not an email", password: "a-good-password" });
  equal(error?.status, 400);
  equal(error?.code, "validation_failed");
  equal(error?.message, "Unable to validate email address: invalid format");
});

Deno.test("updateUser merges metadata and removes keys set to null", async () => {
  const { client } = await signedInClient();
  await client.auth.updateUser({ data: { display_name: "Ana", locale: "pt-BR" } });
  const { data, error } = await client.auth.updateUser({ data: { locale: null, team: "vendas" } });
  equal(error, null);
  deepStrictEqual(data.user!.user_metadata, { display_name: "Ana", email_verified: true, team: "vendas" });
  const refreshed = await client.auth.refreshSession();
  deepStrictEqual(claimsOf(refreshed.data.session!.access_token).user_metadata, data.user!.user_metadata);
});

Deno.test("a user cannot change their own app_metadata", async () => {
  const { client } = await signedInClient();
  const token = (await client.auth.getSession()).data.session!.access_token;
  const res = await authFetch("/user", {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "x-supabase-api-version": "2024-01-01" },
    body: JSON.stringify({ app_metadata: { tenant_role: "admin" } }),
  });
  equal(res.status, 403);
  deepStrictEqual(await res.json(), {
    code: "not_admin",
    message: "Updating app_metadata requires admin privileges",
  });
});

Deno.test("updateUser changes the password: the new one signs in, the old one and other sessions no longer", async () => {
  const { client, email } = await signedInClient();
  const other = appClient();
  await other.auth.signInWithPassword({ email, password: "correct-horse-1" });
  const otherToken = (await other.auth.getSession()).data.session!.access_token;

  const { error } = await client.auth.updateUser({ password: "battery-staple-2" });
  equal(error, null);
  equal((await client.auth.getUser()).error, null, "the session that changed it stays signed in");
  equal((await appClient().auth.getUser(otherToken)).error?.name, "AuthSessionMissingError");

  const old = await appClient().auth.signInWithPassword({ email, password: "correct-horse-1" });
  equal(old.error?.code, "invalid_credentials");
  const renewed = await appClient().auth.signInWithPassword({ email, password: "battery-staple-2" });
  equal(renewed.error, null);
});

Deno.test("updateUser refuses the same password and a weak one", async () => {
  const { client } = await signedInClient();
  const same = await client.auth.updateUser({ password: "correct-horse-1" });
  equal(same.error?.status, 422);
  equal(same.error?.code, "same_password");
  const weak = await client.auth.updateUser({ password: "123" });
  equal(weak.error?.code, "weak_password");
});

Deno.test("updateUser with a new email leaves it pending confirmation, as with mail confirmation", async () => {
  const { client, email } = await signedInClient();
  const wanted = newEmail();
  const { data, error } = await client.auth.updateUser({ email: wanted });
  equal(error, null);
  equal(data.user!.email, email);
  equal(data.user!.new_email, wanted);
  ok(data.user!.email_change_sent_at);
});

Deno.test("updateUser refuses an email another user holds", async () => {
  const { client } = await signedInClient();
  const { email: taken } = await signedInClient();
  const { error } = await client.auth.updateUser({ email: taken });
  equal(error?.status, 422);
  equal(error?.code, "email_exists");
});
