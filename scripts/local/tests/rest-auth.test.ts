// Who asks decides what they see: each request runs as the JWT's role with its claims, so Row Level Security
// applies; bad tokens are refused with PostgREST's 401s.
import { deepStrictEqual, equal } from "node:assert/strict";
import { signJwt } from "../jwt.ts";
import {
  anon,
  cfg,
  clientWithToken,
  nowSeconds,
  rest,
  service,
  signedInUser,
  stillServes,
  userToken,
} from "../rest/testing.ts";

Deno.test("a user sees and changes only their own rows, and anon sees none", async () => {
  const ana = await signedInUser();
  const bo = await signedInUser();
  const written = await ana.client.from("rest_notes").insert([{ body: "ana 1" }, { body: "ana 2" }])
    .select("owner_id, body").order("body");
  deepStrictEqual(written.data, [{ owner_id: ana.id, body: "ana 1" }, { owner_id: ana.id, body: "ana 2" }]);
  await bo.client.from("rest_notes").insert({ body: "bo 1" });

  const anas = await ana.client.from("rest_notes").select("body").order("body");
  deepStrictEqual(anas.data, [{ body: "ana 1" }, { body: "ana 2" }]);
  const bos = await bo.client.from("rest_notes").select("body", { count: "exact" });
  deepStrictEqual([bos.data, bos.count], [[{ body: "bo 1" }], 1]);
  const anons = await anon.from("rest_notes").select("body");
  deepStrictEqual([anons.status, anons.data], [200, []]);

  const stolen = await bo.client.from("rest_notes").update({ body: "bo was here" }).eq("owner_id", ana.id)
    .select();
  deepStrictEqual(stolen.data, []);
  const all = await service.from("rest_notes").select("body").in("owner_id", [ana.id, bo.id]).order("body");
  deepStrictEqual(all.data!.map((n) => n.body), ["ana 1", "ana 2", "bo 1"]);
});

Deno.test("a write Row Level Security refuses is 401 for anon and 403 for a signed-in user", async () => {
  const asAnon = await anon.from("rest_notes").insert({ body: "anonymous", owner_id: crypto.randomUUID() });
  equal(asAnon.status, 401);
  deepStrictEqual(asAnon.error, {
    code: "42501",
    details: null,
    hint: null,
    message: 'new row violates row-level security policy for table "rest_notes"',
  });
  const user = await signedInUser();
  const forged = await user.client.from("rest_notes").insert({
    body: "not mine",
    owner_id: crypto.randomUUID(),
  });
  equal(forged.status, 403);
  equal(forged.error?.code, "42501");
  await stillServes();
});

Deno.test("an expired JWT is 401 PGRST303 with PostgREST's WWW-Authenticate", async () => {
  const expired = await userToken(crypto.randomUUID(), nowSeconds() - 120);
  const { error, status } = await clientWithToken(expired).from("rest_notes").select();
  equal(status, 401);
  deepStrictEqual(error, { code: "PGRST303", details: null, hint: null, message: "JWT expired" });
  const res = await rest("/rest_notes", { headers: { Authorization: `Bearer ${expired}` } });
  await res.body?.cancel();
  equal(res.headers.get("www-authenticate"), 'Bearer error="invalid_token", error_description="JWT expired"');
  equal(res.headers.get("proxy-status"), "PostgREST; error=PGRST303");
  // PostgREST allows 30 s of clock skew.
  const justExpired = await userToken(crypto.randomUUID(), nowSeconds() - 5);
  equal((await clientWithToken(justExpired).from("rest_notes").select()).status, 200);
  await stillServes();
});

Deno.test("a forged or malformed JWT is 401 PGRST301", async () => {
  const forged = await signJwt(
    { sub: crypto.randomUUID(), role: "service_role", exp: nowSeconds() + 60 },
    "another-secret-of-at-least-32-characters!",
  );
  const { error, status } = await clientWithToken(forged).from("rest_notes").select();
  equal(status, 401);
  deepStrictEqual(error, {
    code: "PGRST301",
    details: "None of the keys was able to decode the JWT",
    hint: null,
    message: "No suitable key or wrong key type",
  });
  const twoParts = await clientWithToken("abc.def").from("rest_notes").select();
  deepStrictEqual([twoParts.status, twoParts.error?.message], [401, "Expected 3 parts in JWT; got 2"]);
  await stillServes();
});

Deno.test("a JWT naming a role that does not exist is 401", async () => {
  const token = await signJwt({ role: "nobody_here", exp: nowSeconds() + 60 }, cfg.jwtSecret);
  const { error, status } = await clientWithToken(token).from("rest_authors").select();
  equal(status, 401);
  deepStrictEqual([error?.code, error?.message], ["22023", 'role "nobody_here" does not exist']);
  await stillServes();
});

Deno.test("the service role bypasses Row Level Security", async () => {
  const user = await signedInUser();
  await user.client.from("rest_notes").insert({ body: "visible to the service" });
  const { data } = await service.from("rest_notes").select("body").eq("owner_id", user.id);
  deepStrictEqual(data, [{ body: "visible to the service" }]);
});
