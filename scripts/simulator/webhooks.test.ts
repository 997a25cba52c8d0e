// Webhook delivery as the providers do it, and as faults bend it: duplicates, reordering, delays and retries.
import { deepEqual, equal } from "node:assert/strict";
import { waitFor } from "../test/wait.ts";
import { CLOUD, CUSTOMER, EVOLUTION, withSimulator } from "./testing.ts";

const BASE = 55430;
const evoSend = `/message/sendText/${EVOLUTION.instance}`;
const evoHeaders = { apikey: EVOLUTION.apikey };
const describe = (body: { event: string; data: { status?: string } }) =>
  body.event === "messages.update" ? body.data.status : body.event;

Deno.test("a duplicate fault posts the same webhook twice, byte for byte", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
    await control.ok("POST", `/_control/faults/${CLOUD.phone_number_id}`, {
      kind: "webhook_duplicate",
      count: 1,
    });
    const message = await control.ok(
      "POST",
      `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`,
      {
        text: "chegou duas vezes?",
      },
    );
    const [first, second] = await receiver.waitFor("both copies", () => true, 2);
    deepEqual(first.raw, second.raw);
    equal(first.headers.get("x-hub-signature-256"), second.headers.get("x-hub-signature-256"));
    equal(first.body.entry[0].changes[0].value.messages[0].id, message.id);
  }));

Deno.test("a reorder fault delivers send.message and its receipts in reverse order", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, events: ["SEND_MESSAGE", "MESSAGES_UPDATE"] },
    });
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, { kind: "webhook_reorder", size: 4 });
    equal(
      (await control.call("POST", evoSend, { number: CUSTOMER, text: "fora de ordem" }, evoHeaders)).status,
      201,
    );
    const posts = await receiver.waitFor("four webhooks", () => true, 4);
    deepEqual(posts.map((p) => describe(p.body)), ["READ", "DELIVERY_ACK", "SERVER_ACK", "send.message"]);
  }));

Deno.test("a delay fault on send.message lets its receipts arrive first", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, events: ["SEND_MESSAGE", "MESSAGES_UPDATE"] },
    });
    await control.ok("POST", `/_control/faults/${EVOLUTION.instance}`, {
      kind: "webhook_delay",
      ms: 1_000,
      event: "send.message",
    });
    equal(
      (await control.call("POST", evoSend, { number: CUSTOMER, text: "atrasado" }, evoHeaders)).status,
      201,
    );
    const posts = await receiver.waitFor("four webhooks", () => true, 4);
    deepEqual(posts.map((p) => describe(p.body)), ["SERVER_ACK", "DELIVERY_ACK", "READ", "send.message"]);
  }));

Deno.test("a webhook our endpoint refuses with 500 is retried until it gets 200", () =>
  withSimulator(
    BASE,
    async ({ receiver, control }) => {
      await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
      const message = await control.ok(
        "POST",
        `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`,
        {
          text: "insistente",
        },
      );
      const posts = await receiver.waitFor("three attempts", () => true, 3);
      equal(
        new Set(posts.map((p) => new TextDecoder().decode(p.raw))).size,
        1,
        "every attempt posts the same bytes",
      );
      const attempts = await waitFor("the third attempt in the delivery log", async () => {
        const log = await control.ok("GET", `/_control/deliveries?channel=${CLOUD.phone_number_id}`);
        return log.length === 3 && log;
      });
      deepEqual(attempts.map((a: { attempt: number; status: number }) => [a.attempt, a.status]), [
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
      const chat = await control.ok("GET", `/_control/messages/${encodeURIComponent(message.id)}`);
      equal(chat.status, "delivered", "the customer sees ✓✓ once our endpoint took it");
    },
    { respond: (_r, i) => i < 2 ? 500 : 200, retry: { initialDelayMs: 10 } },
  ));

Deno.test("Evolution gives up on a 4xx answer while the Cloud API keeps retrying", () =>
  withSimulator(
    BASE,
    async ({ receiver, control }) => {
      await control.ok("POST", "/_control/channels/evolution", {
        ...EVOLUTION,
        webhook: { enabled: true, url: `${receiver.url}/evo`, events: ["MESSAGES_UPSERT"] },
      });
      await control.ok("POST", "/_control/channels/cloud", {
        ...CLOUD,
        webhook_url: `${receiver.url}/cloud`,
      });
      await control.ok("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`, { text: "evo" });
      await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, {
        text: "cloud",
      });
      await receiver.waitFor("all three Cloud API attempts", (p) => p.path === "/cloud", 3);
      // Both were posted at once with the same retry pacing: by the Cloud API's third attempt, an Evolution retry
      // would have come twice.
      equal(receiver.received.filter((p) => p.path === "/evo").length, 1);
    },
    { respond: () => 400, retry: { attempts: 3, initialDelayMs: 20 } },
  ));
