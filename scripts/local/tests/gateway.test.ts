// The gateway answers like Supabase's Kong for requests that never reach a service.
import { strictEqual as assertEquals } from "node:assert/strict";
import { testConfig } from "../../test/env.ts";

const cfg = testConfig();

Deno.test("a request without an API key is refused with Supabase's message", async () => {
  const res = await fetch(`${cfg.apiUrl}/rest/v1/anything`);
  assertEquals(res.status, 401);
  assertEquals((await res.json()).message, "No API key found in request");
});

Deno.test("a request with an unknown API key is refused", async () => {
  const res = await fetch(`${cfg.apiUrl}/rest/v1/anything`, { headers: { apikey: "not-a-key" } });
  assertEquals(res.status, 401);
  assertEquals((await res.json()).message, "Invalid API key");
});

Deno.test("an unknown path gets Kong's 404", async () => {
  const res = await fetch(`${cfg.apiUrl}/nowhere`);
  assertEquals(res.status, 404);
  assertEquals((await res.json()).message, "no Route matched with those values");
});

Deno.test("a CORS preflight is answered for the browser", async () => {
  const res = await fetch(`${cfg.apiUrl}/rest/v1/x`, {
    method: "OPTIONS",
    headers: { origin: "http://localhost:5173", "access-control-request-headers": "apikey, authorization" },
  });
  await res.body?.cancel();
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("access-control-allow-origin"), "http://localhost:5173");
});
