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

Deno.test("a browser's request is answered with CORS headers for its origin", async () => {
  const res = await fetch(`${cfg.apiUrl}/rest/v1/anything`, { headers: { origin: "http://localhost:5173" } });
  await res.body?.cancel();
  assertEquals(res.status, 401);
  assertEquals(res.headers.get("access-control-allow-origin"), "http://localhost:5173");
  assertEquals(res.headers.get("access-control-allow-credentials"), "true");
  assertEquals(res.headers.get("vary"), "Origin");
});

Deno.test("a request naming no origin (a server, a provider's webhook) gets no CORS headers, only Vary", async () => {
  const res = await fetch(`${cfg.apiUrl}/rest/v1/anything`);
  await res.body?.cancel();
  assertEquals(res.headers.get("access-control-allow-origin"), null);
  assertEquals(res.headers.get("access-control-expose-headers"), null);
  assertEquals(res.headers.get("vary"), "Origin");
});
