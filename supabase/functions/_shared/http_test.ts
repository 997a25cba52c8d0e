import { deepStrictEqual, equal } from "node:assert/strict";
import { json, serve } from "./http.ts";

Deno.test("a function's JSON answer lets any origin read it, and names only what a browser checks", async () => {
  const res = json({ ok: true }, 201);
  equal(res.status, 201);
  equal(res.headers.get("access-control-allow-origin"), "*");
  equal(res.headers.get("content-type"), "application/json");
  // The allowed headers and methods belong to the preflight's answer, not to every response.
  equal(res.headers.get("access-control-allow-methods"), null);
  deepStrictEqual(await res.json(), { ok: true });
});

Deno.test("a preflight is answered with the headers and methods the console and providers send", async () => {
  const handler = serve("test", () => Promise.reject(new Error("a preflight never reaches the handler")));
  const res = await handler(new Request("http://x/fn", { method: "OPTIONS" }));
  await res.body?.cancel();
  equal(res.status, 200);
  equal(res.headers.get("access-control-allow-origin"), "*");
  equal(res.headers.get("access-control-allow-methods"), "GET, POST, PATCH, DELETE, OPTIONS");
  equal(
    res.headers.get("access-control-allow-headers"),
    "authorization, x-client-info, apikey, content-type, x-atende-secret",
  );
});
