// The admin user API through supabase-js on the secret key, and its refusal for anyone else.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { adminClient, appClient, cfg, newEmail, newUser, signedInClient, withSql } from "../auth/testing.ts";
import { createClient } from "npm:@supabase/supabase-js@2.119.1";

Deno.test("the admin creates a user with its id, role, metadata and a confirmed address", async () => {
  const id = crypto.randomUUID();
  const email = newEmail();
  const { data, error } = await adminClient().auth.admin.createUser({
    id,
    email,
    password: "correct-horse-1",
    email_confirm: true,
    role: "authenticated",
    user_metadata: { display_name: "Bruno" },
    app_metadata: { tenant: "demo" },
  });
  equal(error, null);
  const user = data.user!;
  equal(user.id, id);
  equal(user.email, email);
  equal(user.role, "authenticated");
  equal(user.aud, "authenticated");
  ok(user.email_confirmed_at);
  deepStrictEqual(user.user_metadata, { display_name: "Bruno", email_verified: true });
  deepStrictEqual(user.app_metadata, { provider: "email", providers: ["email"], tenant: "demo" });
  deepStrictEqual(user.identities?.map((i) => [i.provider, i.id]), [["email", id]]);

  const signIn = await appClient().auth.signInWithPassword({ email, password: "correct-horse-1" });
  equal(signIn.error, null);
});

Deno.test("the admin cannot create a second user with the same email", async () => {
  const { email } = await newUser();
  const { error } = await adminClient().auth.admin.createUser({ email, password: "correct-horse-1" });
  equal(error?.status, 422);
  equal(error?.code, "email_exists");
});

Deno.test("a user imported with a $2b$ bcrypt hash, as Node and Python write them, signs in", async () => {
  const [{ hash }] = await withSql((sql) =>
    sql`select '$2b$' || substr(extensions.crypt('imported-pw-1', extensions.gen_salt('bf', 4)), 5) as hash`
  );
  const email = newEmail();
  const created = await adminClient().auth.admin.createUser({
    email,
    password_hash: hash,
    email_confirm: true,
  });
  equal(created.error, null);
  equal((await appClient().auth.signInWithPassword({ email, password: "imported-pw-1" })).error, null);
  const wrong = await appClient().auth.signInWithPassword({ email, password: "imported-pw-2" });
  equal(wrong.error?.code, "invalid_credentials");
});

Deno.test("the admin lists users page by page with GoTrue's totals", async () => {
  for (let i = 0; i < 3; i++) await newUser();
  const [{ total }] = await withSql((sql) =>
    sql`select count(*)::int as total from auth.users where aud = 'authenticated'`
  );
  const { data, error } = await adminClient().auth.admin.listUsers({ page: 1, perPage: 2 });
  equal(error, null);
  equal(data.users.length, 2);
  equal(data.aud, "authenticated");
  equal(data.total, total);
  equal(data.nextPage, 2);
  ok(data.users[0].created_at >= data.users[1].created_at, "newest first");

  // auth-js reads only the first digit of the page numbers, so the exact links are checked on the raw answer.
  const res = await fetch(`${cfg.apiUrl}/auth/v1/admin/users?per_page=2`, {
    headers: { apikey: cfg.secretKey },
  });
  equal(res.headers.get("x-total-count"), String(total));
  const last = Math.ceil(total / 2);
  equal(
    res.headers.get("link"),
    `</admin/users?page=2&per_page=2>; rel="next", </admin/users?page=${last}&per_page=2>; rel="last"`,
  );
  const body = await res.json();
  deepStrictEqual(Object.keys(body), ["users", "aud"]);
});

Deno.test("the admin reads, updates and deletes a user by id", async () => {
  const admin = adminClient().auth.admin;
  const { client, user } = await signedInClient();
  equal((await admin.getUserById(user.id)).data.user?.email, user.email);

  const email = newEmail();
  const { data, error } = await admin.updateUserById(user.id, {
    email,
    password: "new-password-3",
    user_metadata: { display_name: "Carla" },
    app_metadata: { role_in_tenant: "manager" },
  });
  equal(error, null);
  equal(data.user!.email, email, "an admin's email change applies at once");
  equal(data.user!.user_metadata.display_name, "Carla");
  equal(data.user!.app_metadata.role_in_tenant, "manager");
  equal(
    (await client.auth.getUser()).error?.name,
    "AuthSessionMissingError",
    "a new password signs the user out",
  );
  equal((await appClient().auth.signInWithPassword({ email, password: "new-password-3" })).error, null);

  equal((await admin.deleteUser(user.id)).error, null);
  const gone = await admin.getUserById(user.id);
  equal(gone.error?.status, 404);
  equal(gone.error?.code, "user_not_found");
});

Deno.test("a soft-deleted user keeps its row but nothing that identifies the person", async () => {
  const admin = adminClient().auth.admin;
  const { user, email } = await newUser();
  equal((await admin.deleteUser(user.id, true)).error, null);
  const { data } = await admin.getUserById(user.id);
  ok(data.user?.deleted_at, "marked deleted");
  ok(data.user?.email !== email);
  deepStrictEqual(data.user?.user_metadata, {});
  equal(
    (await appClient().auth.signInWithPassword({ email, password: "correct-horse-1" })).error?.code,
    "invalid_credentials",
  );
});

Deno.test("the admin API refuses the anon key and a signed-in user", async () => {
  const anonKeyClient = createClient(cfg.apiUrl, cfg.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  for (const client of [appClient(), anonKeyClient]) {
    const { error } = await client.auth.admin.listUsers();
    equal(error?.status, 403);
    equal(error?.code, "not_admin");
    equal(error?.message, "User not allowed");
  }
  const { client } = await signedInClient();
  const token = (await client.auth.getSession()).data.session!.access_token;
  // auth-js reads only the first digit of the page numbers, so the exact links are checked on the raw answer.
  const res = await fetch(`${cfg.apiUrl}/auth/v1/admin/users`, {
    method: "POST",
    headers: {
      apikey: cfg.publishableKey,
      authorization: `Bearer ${token}`,
      "x-supabase-api-version": "2024-01-01",
    },
    body: JSON.stringify({ email: newEmail(), password: "correct-horse-1" }),
  });
  equal(res.status, 403);
  deepStrictEqual(await res.json(), { code: "not_admin", message: "User not allowed" });
});

Deno.test("an admin request for a missing or malformed user id answers 404", async () => {
  const admin = adminClient().auth.admin;
  const missing = await admin.getUserById(crypto.randomUUID());
  equal(missing.error?.code, "user_not_found");
  // auth-js reads only the first digit of the page numbers, so the exact links are checked on the raw answer.
  const res = await fetch(`${cfg.apiUrl}/auth/v1/admin/users/not-a-uuid`, {
    headers: { apikey: cfg.secretKey, "x-supabase-api-version": "2024-01-01" },
  });
  equal(res.status, 404);
  deepStrictEqual(await res.json(), { code: "validation_failed", message: "user_id must be an UUID" });
});
