// Failures answer with PostgREST's JSON, code and status — and the service keeps serving after each one.
import { deepStrictEqual, equal, match } from "node:assert/strict";
import { anon, cfg, rest, signedInUser, stillServes, uniqueTag } from "../rest/testing.ts";

Deno.test("a duplicate key is 409 with Postgres' message", async () => {
  const { client } = await signedInUser();
  const tag = uniqueTag();
  await client.from("rest_authors").insert({ name: `Twin ${tag}`, tag });
  const { error, status } = await client.from("rest_authors").insert({ name: `Twin ${tag}`, tag });
  equal(status, 409);
  // Postgres leaves out the key's value when Row Level Security is on for the table.
  deepStrictEqual(error, {
    code: "23505",
    details: null,
    hint: null,
    message: 'duplicate key value violates unique constraint "rest_authors_name_key"',
  });
  await stillServes();
});

Deno.test("a missing table is 404 PGRST205 with a suggestion", async () => {
  const { error, status } = await anon.from("rest_author").select();
  equal(status, 404);
  deepStrictEqual(error, {
    code: "PGRST205",
    details: null,
    hint: "Perhaps you meant the table 'public.rest_authors'",
    message: "Could not find the table 'public.rest_author' in the schema cache",
  });
  await stillServes();
});

Deno.test("an unknown filter operator is 400 PGRST100", async () => {
  const { error, status } = await anon.from("rest_posts").select().filter("views", "bigger", 3);
  equal(status, 400);
  deepStrictEqual(error, {
    code: "PGRST100",
    details: 'unexpected "b" expecting "not" or operator (eq, gt, ...)',
    hint: null,
    message: '"failed to parse filter (bigger.3)" (line 1, column 1)',
  });
  const badColumn = await anon.from("rest_posts").select("nope");
  deepStrictEqual([badColumn.status, badColumn.error?.code, badColumn.error?.message], [
    400,
    "42703",
    "column rest_posts.nope does not exist",
  ]);
  const badValue = await anon.from("rest_posts").select().eq("views", "many");
  deepStrictEqual([badValue.status, badValue.error?.code], [400, "22P02"]);
  await stillServes();
});

Deno.test("a malformed JSON body is 400 PGRST102", async () => {
  const res = await rest("/rest_authors", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: '{"name": "broken',
  });
  equal(res.status, 400);
  equal(res.headers.get("proxy-status"), "PostgREST; error=PGRST102");
  deepStrictEqual(await res.json(), {
    code: "PGRST102",
    details: null,
    hint: null,
    message: "Empty or invalid json",
  });
  await stillServes();
});

Deno.test("a body over the size limit is refused with 413 even without Content-Length", async () => {
  // One byte over the limit, streamed in chunks so no Content-Length tells the size up front.
  let left = cfg.maxBodyBytes + 1;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left === 0) return controller.close();
      const size = Math.min(left, 1024 * 1024);
      left -= size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  const res = await rest("/rest_authors", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
  equal(res.status, 413);
  deepStrictEqual(await res.json(), { message: "Request size limit exceeded" });
  await stillServes();
});

Deno.test("an unknown schema is 406 PGRST106", async () => {
  const { error, status } = await anon.schema("nope").from("rest_authors").select();
  equal(status, 406);
  deepStrictEqual(error, {
    code: "PGRST106",
    details: null,
    hint: "Only the following schemas are exposed: public, graphql_public",
    message: "Invalid schema: nope",
  });
  await stillServes();
});

Deno.test("an unacceptable Accept header is 406 PGRST107", async () => {
  const res = await rest("/rest_authors", { headers: { Accept: "text/html" } });
  equal(res.status, 406);
  match((await res.json()).message, /None of these media types are available: text\/html/);
  await stillServes();
});
