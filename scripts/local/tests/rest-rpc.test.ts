// Calling Postgres functions with supabase-js `rpc()` as on hosted Supabase: named arguments, scalars, sets with
// filters, void, GET for read-only calls, overloads, the single-json-argument form, and raised errors.
import { deepStrictEqual, equal, match } from "node:assert/strict";
import { anon, rest, seedBlog, signedInUser, stillServes } from "../rest/testing.ts";

Deno.test("a function returning a scalar answers the JSON scalar, by POST or GET", async () => {
  const posted = await anon.rpc("rest_add", { a: 2, b: 40 });
  equal(posted.status, 200);
  equal(posted.data, 42);
  const got = await anon.rpc("rest_add", { a: 1, b: 2 }, { get: true });
  equal(got.data, 3);
  const greeting = await anon.rpc("rest_greet", { name: "Ana" });
  equal(greeting.data, "Hello, Ana");
});

Deno.test("a set-returning function answers an array that filters, order and limit apply to", async () => {
  const { tag } = await seedBlog();
  const all = await anon.rpc("rest_posts_by", { author: `Ana ${tag}` }).select("title, views").order("views");
  deepStrictEqual(all.data, [{ title: "Hello", views: 5 }, { title: "World", views: 7 }]);
  const filtered = await anon.rpc("rest_posts_by", { author: `Ana ${tag}` }, { count: "exact" })
    .select("title").gt("views", 5);
  deepStrictEqual(filtered.data, [{ title: "World" }]);
  equal(filtered.count, 1);
  const limited = await anon.rpc("rest_posts_by", { author: `Ana ${tag}` }, { get: true })
    .select("title,views").order("views", { ascending: false }).limit(1).single();
  deepStrictEqual(limited.data, { title: "World", views: 7 });
  const embedded = await anon.rpc("rest_posts_by", { author: `Bo ${tag}` }).select(
    "title, rest_authors(country)",
  );
  deepStrictEqual(embedded.data, [{ title: "Third", rest_authors: { country: "US" } }]);
  const series = await anon.rpc("rest_series", { n: 3 });
  deepStrictEqual(series.data, [1, 2, 3]);
});

Deno.test("a void function answers 204 and its writes are kept", async () => {
  const message = `event ${crypto.randomUUID()}`;
  const { data, error, status } = await anon.rpc("rest_log_event", { message });
  equal(error, null);
  equal(status, 204);
  equal(data, null);
  const logged = await anon.from("rest_events").select("message").eq("message", message);
  deepStrictEqual(logged.data, [{ message }]);
});

Deno.test("GET runs read-only: a function that writes is refused with 405", async () => {
  const { error, status } = await anon.rpc("rest_log_event", { message: "via get" }, { get: true });
  equal(status, 405);
  deepStrictEqual(error, {
    code: "25006",
    details: null,
    hint: null,
    message: "cannot execute INSERT in a read-only transaction",
  });
  await stillServes();
});

Deno.test("overloads are told apart by argument names", async () => {
  equal((await anon.rpc("rest_greet", { name: "Bo" })).data, "Hello, Bo");
  equal((await anon.rpc("rest_greet", { name: "Bo", greeting: "Oi" })).data, "Oi, Bo");
  const wrong = await anon.rpc("rest_greet", { nome: "Bo" });
  equal(wrong.status, 404);
  deepStrictEqual(wrong.error, {
    code: "PGRST202",
    details:
      "Searched for the function public.rest_greet with parameter nome or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
    hint: "Perhaps you meant to call the function public.rest_greet(name)",
    message: "Could not find the function public.rest_greet(nome) in the schema cache",
  });
});

Deno.test("a function with one unnamed json parameter receives the whole body", async () => {
  const body = { any: ["shape", 1, { nested: true }], n: 1.5 };
  const { data } = await anon.rpc("rest_echo", body);
  deepStrictEqual(data, body);
});

Deno.test("a missing function is a 404 with PostgREST's hint", async () => {
  const { error, status } = await anon.rpc("rest_ad", { a: 1, b: 2 });
  equal(status, 404);
  equal(error?.code, "PGRST202");
  equal(error?.message, "Could not find the function public.rest_ad(a, b) in the schema cache");
  equal(error?.hint, "Perhaps you meant to call the function public.rest_add");
  await stillServes();
});

Deno.test("raised errors keep their code: P0001 is 400, PTnnn picks the status", async () => {
  const closed = await anon.rpc("rest_fail", { code: "P0001" });
  equal(closed.status, 400);
  deepStrictEqual(closed.error, {
    code: "P0001",
    details: "the conversation was closed",
    hint: "reopen it first",
    message: "conversation_closed",
  });
  const payment = await anon.rpc("rest_fail", { code: "PT402" });
  equal(payment.status, 402);
  equal(payment.error?.code, "PT402");
  const res = await rest("/rpc/rest_fail", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code: "PT418" }),
  });
  equal(res.status, 418);
  equal(res.headers.get("proxy-status"), "PostgREST; error=PT418");
  equal((await res.json()).message, "payment required");
  await stillServes();
});

Deno.test("RAISE SQLSTATE 'PGRST' with JSON sets the error's code, status and headers", async () => {
  const { error, status } = await anon.rpc("rest_teapot");
  equal(status, 418);
  deepStrictEqual(error, {
    code: "TEA01",
    details: "short and stout",
    hint: "tip me over",
    message: "I am a teapot",
  });
  const res = await rest("/rpc/rest_teapot", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
  });
  await res.body?.cancel();
  equal(res.headers.get("x-powered-by"), "Tea");
});

Deno.test("each call runs with the caller's role, claims and request settings", async () => {
  const user = await signedInUser();
  const { data } = await user.client.rpc("rest_whoami");
  equal(data.uid, user.id);
  equal(data.role, "authenticated");
  equal(data.method, "POST");
  equal(data.path, "/rpc/rest_whoami");
  match(data.client, /^supabase-js/);
  equal(data.search_path, '"public", "public", "extensions"');
  equal(data.read_only, "on", "a stable function runs in a read-only transaction");
  const asAnon = await anon.rpc("rest_whoami", {}, { get: true });
  deepStrictEqual([asAnon.data.role, asAnon.data.uid, asAnon.data.method], ["anon", null, "GET"]);
});
