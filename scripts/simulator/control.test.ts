// The control API: registering channels (with Meta's callback verification), settings, and reset.
import { deepEqual, equal, match } from "node:assert/strict";
import { CLOUD, CUSTOMER, EVOLUTION, withSimulator } from "./testing.ts";

const BASE = 55480;
const VERIFIER_PORT = BASE + 2;

/** A callback endpoint that answers Meta's verification request the way our product should. */
function startVerifier(token: string) {
  return Deno.serve({ port: VERIFIER_PORT, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const params = new URL(req.url).searchParams;
    if (params.get("hub.mode") === "subscribe" && params.get("hub.verify_token") === token) {
      return new Response(params.get("hub.challenge"));
    }
    return new Response("forbidden", { status: 403 });
  });
}

Deno.test("registering a Cloud API channel with a verify token performs Meta's verification handshake", () =>
  withSimulator(BASE, async ({ control }) => {
    const verifier = startVerifier("meu-token");
    try {
      const callback = `http://127.0.0.1:${VERIFIER_PORT}/functions/v1/webhook-whatsapp`;
      const wrong = await control.call("POST", "/_control/channels/cloud", {
        ...CLOUD,
        webhook_url: callback,
        verify_token: "outro-token",
      });
      equal(wrong.status, 400);
      equal(wrong.body.error.code, "verification_failed");
      match(wrong.body.error.message, /403/);
      const right = await control.call("POST", "/_control/channels/cloud", {
        ...CLOUD,
        webhook_url: callback,
        verify_token: "meu-token",
      });
      equal(right.status, 201);
      equal(right.body.webhookUrl, callback);
    } finally {
      await verifier.shutdown();
    }
  }));

Deno.test("a channel key cannot belong to both providers", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      instance: CLOUD.phone_number_id,
    });
    const clash = await control.call("POST", "/_control/channels/cloud", {
      ...CLOUD,
      webhook_url: "http://x.test/",
    });
    deepEqual([clash.status, clash.body.error.code], [409, "taken"]);
  }));

Deno.test("settings change on a running simulator and reset brings them back", () =>
  withSimulator(BASE, async ({ control }) => {
    const changed = await control.ok("PATCH", "/_control/settings", {
      receiptDelayMs: 50,
      retry: { attempts: 2 },
    });
    deepEqual([changed.receiptDelayMs, changed.retry.attempts, changed.readOn], [50, 2, "delivery"]);
    await control.ok("POST", "/_control/reset");
    const after = await control.ok("GET", "/_control/settings");
    deepEqual([after.receiptDelayMs, after.retry.attempts], [0, 10]);
    equal((await control.call("PATCH", "/_control/settings", { readOn: "sometimes" })).status, 400);
  }));

Deno.test("reset forgets customers, sends and faults but keeps channels unless asked", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, { kind: "latency", ms: 1 });
    await control.call("POST", `/message/sendText/${EVOLUTION.instance}`, { number: CUSTOMER, text: "oi" }, {
      apikey: EVOLUTION.apikey,
    });
    equal((await control.ok("GET", "/_control/sent")).length, 1);
    deepEqual(await control.ok("POST", "/_control/reset"), { reset: true, channels: false });
    deepEqual(await control.ok("GET", "/_control/sent"), []);
    deepEqual(await control.ok("GET", "/_control/faults"), []);
    deepEqual(await control.ok("GET", `/_control/customers/${EVOLUTION.instance}`), []);
    equal((await control.ok("GET", "/_control/channels")).length, 1);
    await control.ok("POST", "/_control/reset", { channels: true });
    deepEqual(await control.ok("GET", "/_control/channels"), []);
  }));
