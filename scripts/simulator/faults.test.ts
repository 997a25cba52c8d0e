// Faults set through the control API make sends fail the way each provider fails, and every attempt is counted.
import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { CLOUD, CUSTOMER, EVOLUTION, withSimulator } from "./testing.ts";

const BASE = 55420;
const OTHER = "5521977776666";
const evoHeaders = { apikey: EVOLUTION.apikey };
const cloudHeaders = { authorization: `Bearer ${CLOUD.access_token}` };
const evoSend = `/message/sendText/${EVOLUTION.instance}`;
const cloudSend = `/v21.0/${CLOUD.phone_number_id}/messages`;
const cloudText = (to: string) => ({
  messaging_product: "whatsapp",
  to,
  type: "text",
  text: { body: "Olá" },
});

Deno.test("a 5xx fault answers each provider's error body and the refused send is counted", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: "http://127.0.0.1:1/" });
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, { kind: "server_error" });
    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, {
      kind: "server_error",
      status: 503,
    });

    deepEqual(await control.call("POST", evoSend, { number: CUSTOMER, text: "Olá" }, evoHeaders), {
      status: 500,
      body: { status: 500, error: "Internal Server Error", response: { message: "Internal Server Error" } },
    });
    const cloud = await control.call("POST", cloudSend, cloudText(CUSTOMER), cloudHeaders);
    equal(cloud.status, 503);
    equal(cloud.body.error.code, 131016);
    equal(cloud.body.error.message, "(#131016) Service unavailable");
    deepEqual(cloud.body.error.error_data.messaging_product, "whatsapp");

    const sent = await control.ok("GET", "/_control/sent");
    deepEqual(
      sent.map((
        s: { channel: string; accepted: boolean; status: number },
      ) => [s.channel, s.accepted, s.status]),
      [
        [EVOLUTION.instance, false, 500],
        [CLOUD.phone_number_id, false, 503],
      ],
    );
  }));

Deno.test("rate limits: Evolution answers 429, the Cloud API 130429", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: "http://127.0.0.1:1/" });
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, { kind: "rate_limit" });
    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, { kind: "rate_limit" });
    deepEqual(await control.call("POST", evoSend, { number: CUSTOMER, text: "Olá" }, evoHeaders), {
      status: 429,
      body: { status: 429, error: "Too Many Requests", response: { message: ["Too Many Requests"] } },
    });
    const cloud = await control.call("POST", cloudSend, cloudText(CUSTOMER), cloudHeaders);
    equal(cloud.status, 400);
    equal(cloud.body.error.code, 130429);
    equal(cloud.body.error.message, "(#130429) Rate limit hit");
    equal(cloud.body.error.error_data.details, "Cloud API message throughput has been reached.");
  }));

Deno.test("a pair rate limit refuses sends to its customer only", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: "http://127.0.0.1:1/" });
    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, {
      kind: "pair_rate_limit",
      to: CUSTOMER,
    });
    const limited = await control.call("POST", cloudSend, cloudText(CUSTOMER), cloudHeaders);
    equal(limited.status, 400);
    equal(limited.body.error.code, 131056);
    const other = await control.call("POST", cloudSend, cloudText(OTHER), cloudHeaders);
    equal(other.status, 200);
  }));

Deno.test("an undeliverable number gets a failed 131026 status, or the error in the answer when asked", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, { text: "oi" });
    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, {
      kind: "undeliverable",
      count: 1,
    });
    const accepted = await control.call("POST", cloudSend, cloudText(CUSTOMER), cloudHeaders);
    equal(accepted.status, 200);
    const [post] = await receiver.waitFor(
      "the failed status",
      (p) => p.body.entry[0].changes[0].value.statuses?.[0].status === "failed",
    );
    equal(post.body.entry[0].changes[0].value.statuses[0].errors[0].code, 131026);

    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, {
      faults: [{ kind: "undeliverable", delivery: "response" }],
    });
    const refused = await control.call("POST", cloudSend, cloudText(CUSTOMER), cloudHeaders);
    equal(refused.status, 400);
    equal(refused.body.error.code, 131026);
  }));

Deno.test("a closed window can be reported in the answer: 400 with 131047", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: "http://127.0.0.1:1/" });
    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, {
      kind: "window_closed",
      delivery: "response",
    });
    const res = await control.call("POST", cloudSend, cloudText(CUSTOMER), cloudHeaders);
    equal(res.status, 400);
    equal(res.body.error.code, 131047);
    match(res.body.error.error_data.details, /more than 24 hours/);
  }));

Deno.test("a number not on WhatsApp gets Evolution's 400 with exists:false", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, {
      kind: "not_on_whatsapp",
      to: OTHER,
    });
    deepEqual(await control.call("POST", evoSend, { number: OTHER, text: "Olá" }, evoHeaders), {
      status: 400,
      body: {
        status: 400,
        error: "Bad Request",
        response: { message: [{ jid: `${OTHER}@s.whatsapp.net`, exists: false, number: OTHER }] },
      },
    });
    equal((await control.call("POST", evoSend, { number: CUSTOMER, text: "Olá" }, evoHeaders)).status, 201);
  }));

Deno.test("a fault with a count applies that many times, then sends succeed again", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    const [fault] = await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, {
      kind: "server_error",
      status: 502,
      count: 2,
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await control.call("POST", evoSend, { number: CUSTOMER, text: `tentativa ${i}` }, evoHeaders))
          .status,
      );
    }
    deepEqual(statuses, [502, 502, 201]);
    const [listed] = await control.ok("GET", `/_control/faults/${EVOLUTION.instance}`);
    deepEqual({ id: listed.id, hits: listed.hits, count: listed.count }, { id: fault.id, hits: 2, count: 2 });
    deepEqual(await control.ok("DELETE", `/_control/faults/${EVOLUTION.instance}`), { cleared: 1 });
    equal((await control.ok("GET", "/_control/sent?accepted=true")).length, 1);
  }));

Deno.test("a timeout after accepting delivers the message while the client gives up, and the send is recorded", () =>
  withSimulator(BASE, async ({ sim, receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, events: ["SEND_MESSAGE"] },
    });
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, { kind: "timeout", count: 1 });
    await rejects(
      fetch(`${sim.url}${evoSend}`, {
        method: "POST",
        headers: { ...evoHeaders, "content-type": "application/json" },
        body: JSON.stringify({ number: CUSTOMER, text: "Seu pedido chegou" }),
        signal: AbortSignal.timeout(300),
      }),
      (e: Error) => e.name === "TimeoutError",
    );
    const [post] = await receiver.waitFor("the send.message of the timed-out send", () => true);
    equal(post.body.data.message.conversation, "Seu pedido chegou");
    const [record] = await control.ok("GET", "/_control/sent");
    equal(record.accepted, true);
    equal(record.status, null, "no answer was given");
    equal(record.messageId, post.body.data.key.id);

    // The product retries: a second, distinct message goes out — exactly what its duplicate-avoidance must prevent.
    const retry = await control.call(
      "POST",
      evoSend,
      { number: CUSTOMER, text: "Seu pedido chegou" },
      evoHeaders,
    );
    equal(retry.status, 201);
    equal((await control.ok("GET", `/_control/sent?channel=${EVOLUTION.instance}&accepted=true`)).length, 2);
  }));

Deno.test("a timeout before accepting sends nothing and never answers", () =>
  withSimulator(BASE, async ({ sim, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: "http://127.0.0.1:1/" });
    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, {
      kind: "timeout",
      accepted: false,
    });
    await rejects(
      fetch(`${sim.url}${cloudSend}`, {
        method: "POST",
        headers: { ...cloudHeaders, "content-type": "application/json" },
        body: JSON.stringify(cloudText(CUSTOMER)),
        signal: AbortSignal.timeout(300),
      }),
      (e: Error) => e.name === "TimeoutError",
    );
    const [record] = await control.ok("GET", "/_control/sent");
    deepEqual([record.accepted, record.status], [false, null]);
    deepEqual(
      (await control.ok("GET", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}`)).messages,
      [],
    );
  }));

Deno.test("latency holds the answer back while the send still goes through", () =>
  withSimulator(BASE, async ({ sim, receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, events: ["SEND_MESSAGE"] },
    });
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, { kind: "latency", ms: 1_000 });
    await rejects(
      fetch(`${sim.url}${evoSend}`, {
        method: "POST",
        headers: { ...evoHeaders, "content-type": "application/json" },
        body: JSON.stringify({ number: CUSTOMER, text: "devagar" }),
        signal: AbortSignal.timeout(100),
      }),
      (e: Error) => e.name === "TimeoutError",
    );
    await receiver.waitFor(
      "the slow send's send.message",
      (p) => p.body.data.message.conversation === "devagar",
    );
  }));

Deno.test("a fault of the other provider is refused by the control API", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    const res = await control.call("POST", `/_control/faults/${EVOLUTION.instance}`, {
      kind: "pair_rate_limit",
    });
    equal(res.status, 400);
    equal(res.body.error.code, "wrong_provider");
    const unknown = await control.call("POST", `/_control/faults/${EVOLUTION.instance}`, {
      kind: "gremlins",
    });
    equal(unknown.status, 400);
  }));
