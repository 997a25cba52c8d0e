// Edge functions behind the gateway behave as on hosted Supabase, seen through supabase-js.
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { createClient, FunctionsHttpError } from "npm:@supabase/supabase-js@2.119.1";
import postgres from "npm:postgres@3.4.9";
import { testConfig } from "../../test/env.ts";
import { signJwt } from "../jwt.ts";
import { waitFor } from "../../test/wait.ts";

const cfg = testConfig();
const anon = createClient(cfg.apiUrl, cfg.anonKey, { auth: { persistSession: false } });

async function errorBody(error: unknown) {
  ok(error instanceof FunctionsHttpError, `expected an HTTP error, got ${error}`);
  return { status: error.context.status, body: await error.context.json() };
}

Deno.test("functions.invoke with the anon key reaches a verify_jwt function with the key as bearer", async () => {
  const { data, error } = await anon.functions.invoke("echo", { body: { hello: "world" } });
  equal(error, null);
  equal(data.method, "POST");
  equal(data.path, "/echo");
  equal(data.authorization, `Bearer ${cfg.anonKey}`);
  deepStrictEqual(JSON.parse(data.body), { hello: "world" });
  deepStrictEqual(data.env, {
    SUPABASE_URL: cfg.apiUrl,
    has_anon_key: true,
    has_service_role_key: true,
    has_db_url: true,
  });
});

Deno.test("a signed-in user's JWT is forwarded to the function", async () => {
  const token = await signJwt(
    { sub: crypto.randomUUID(), role: "authenticated", exp: Math.floor(Date.now() / 1000) + 60 },
    cfg.jwtSecret,
  );
  const client = createClient(cfg.apiUrl, cfg.publishableKey, { accessToken: () => Promise.resolve(token) });
  const { data, error } = await client.functions.invoke("echo", { method: "GET" });
  equal(error, null);
  equal(data.authorization, `Bearer ${token}`);
});

Deno.test("a verify_jwt function refuses a forged or expired JWT with 401", async () => {
  const forged = await signJwt(
    { role: "authenticated", exp: Math.floor(Date.now() / 1000) + 60 },
    "another-secret-of-32-characters-long!!",
  );
  const expired = await signJwt(
    { role: "authenticated", exp: Math.floor(Date.now() / 1000) - 60 },
    cfg.jwtSecret,
  );
  for (const token of [forged, expired]) {
    const client = createClient(cfg.apiUrl, cfg.anonKey, { accessToken: () => Promise.resolve(token) });
    const { error } = await client.functions.invoke("echo");
    deepStrictEqual(await errorBody(error), { status: 401, body: { msg: "Invalid JWT" } });
  }
});

Deno.test("a verify_jwt function without any authorization answers 401", async () => {
  const res = await fetch(`${cfg.apiUrl}/functions/v1/echo`, { method: "POST" });
  equal(res.status, 401);
  deepStrictEqual(await res.json(), { msg: "Error: Missing authorization header" });
});

Deno.test("a function with verify_jwt = false needs no JWT", async () => {
  const res = await fetch(`${cfg.apiUrl}/functions/v1/public-echo`, { method: "POST", body: "raw" });
  equal(res.status, 200);
  deepStrictEqual(await res.json(), { public: true, body: "raw" });
});

Deno.test("an unknown function is a 404 and a throwing one a 500, and the stack keeps serving", async () => {
  const missing = await anon.functions.invoke("no-such-function");
  equal((await errorBody(missing.error)).status, 404);
  const crashed = await anon.functions.invoke("crash");
  deepStrictEqual(await errorBody(crashed.error), {
    status: 500,
    body: { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" },
  });
  const { error } = await anon.functions.invoke("echo");
  equal(error, null);
});

Deno.test("work handed to EdgeRuntime.waitUntil finishes after the response", async () => {
  const sql = postgres(cfg.dbUrl, { max: 1, onnotice: () => {} });
  try {
    const marker = crypto.randomUUID();
    const res = await fetch(`${cfg.apiUrl}/functions/v1/background`, {
      method: "POST",
      body: JSON.stringify({ marker }),
    });
    equal(res.status, 202);
    await res.body?.cancel();
    await waitFor(
      "the background insert",
      async () => (await sql`select 1 from contract_function_calls where marker = ${marker}`).length === 1,
    );
  } finally {
    await sql.end();
  }
});

Deno.test("an oversized body is refused with 413 before it reaches the function", async () => {
  const res = await fetch(`${cfg.apiUrl}/functions/v1/public-echo`, {
    method: "POST",
    body: new Uint8Array(cfg.maxBodyBytes + 1),
  });
  equal(res.status, 413);
  match((await res.json()).message, /size limit/);
});
