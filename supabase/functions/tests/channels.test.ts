// Integrators connect WhatsApp numbers: what the channels function answers is pasted into the provider (here the
// WhatsApp simulator) and a test event travels end to end; secrets rotate with a grace period.
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import postgres from "npm:postgres@3.4.9";
import { waitFor } from "../../../scripts/test/wait.ts";
import { signCloudBody } from "../_shared/signature.ts";
import { cfg, connectCloud, connectEvolution, createWorld, invoke, unique, type World } from "./ops-world.ts";
import { cloudBatch, evolutionText, randomKeyId, randomPhone } from "./payloads.ts";

const sql = postgres(cfg.dbUrl, { max: 2, onnotice: () => {} });
const opts = { sanitizeOps: false, sanitizeResources: false };

let worldPromise: Promise<World> | undefined;
const world = () => worldPromise ??= createWorld(sql);

/** Sends a test event and follows it, as the console does, until it is a message in a conversation. */
async function testEventArrives(w: World, channelId: string) {
  const sent = await invoke(w.admin.client, `channels/${channelId}/test-event`, { body: {} });
  equal(sent.status, 202, JSON.stringify(sent.body));
  const { provider_message_id } = sent.body.test_event;
  ok(provider_message_id);
  const arrived = await waitFor("the test event to be applied", async () => {
    const stage = await invoke(w.admin.client, `channels/${channelId}/test-event/${provider_message_id}`, {
      method: "GET",
    });
    return stage.body.stage === "applied" ? stage.body : null;
  });
  const [message] = await sql`select m.body, m.direction, ct.phone from messages m
    join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
    where m.id = ${arrived.message_id}`;
  deepStrictEqual(message, {
    body: "Mensagem de teste do Atende",
    direction: "inbound",
    phone: "5500000000000",
  });
  return sent.body.test_event;
}

Deno.test({
  name:
    "an admin connects an Evolution number: the answered setup, sent to Evolution, brings a test event in end to end",
  ...opts,
  fn: async () => {
    const w = await world();
    const channel = await connectEvolution(w);
    const { created } = channel;
    match(created.secrets.webhook_secret, /^[0-9a-f]{48}$/, "the webhook secret is shown once");
    equal(created.setup.webhook_url, `${cfg.apiUrl}/functions/v1/webhook-evolution/${channel.id}`);
    deepStrictEqual(created.setup.webhook_set.body.webhook.headers, {
      "x-atende-secret": created.secrets.webhook_secret,
    });
    deepStrictEqual(created.setup.events, [
      "MESSAGES_UPSERT",
      "MESSAGES_UPDATE",
      "MESSAGES_DELETE",
      "MESSAGES_EDITED",
      "SEND_MESSAGE",
      "CONNECTION_UPDATE",
    ]);

    const event = await testEventArrives(w, channel.id);
    equal(event.via, "simulator", "the simulator's customer wrote it");

    const later = await invoke(w.admin.client, `channels/${channel.id}`, { method: "GET" });
    equal(later.status, 200);
    ok(
      !JSON.stringify(later.body).includes(created.secrets.webhook_secret),
      "afterwards the secret is masked",
    );
    equal(later.body.secrets.webhook_secret.hint, `…${created.secrets.webhook_secret.slice(-4)}`);

    const health = await waitFor("the channel card to show the webhook", async () => {
      const stats = await invoke(w.manager.client, `ops/stats?tenant_id=${w.tenantId}`, { method: "GET" });
      const card = stats.body.channels.find((c: { id: string }) => c.id === channel.id);
      return card?.last_webhook_at && card.last_received_at ? card : null;
    });
    equal(health.webhook_errors_1h, 0);
  },
});

Deno.test({
  name:
    "an admin connects a Cloud API number: Meta's handshake passes with the verify token and a test event arrives",
  ...opts,
  fn: async () => {
    const w = await world();
    const channel = await connectCloud(w);
    const { setup } = channel.created;
    equal(setup.callback_url, `${cfg.apiUrl}/functions/v1/webhook-whatsapp/${channel.id}`);
    match(setup.verify_token.value, /^[0-9a-f]{48}$/);
    equal((await testEventArrives(w, channel.id)).via, "simulator");
  },
});

Deno.test({
  name: "a number off the simulator gets a real-format, signed test webhook that arrives end to end",
  ...opts,
  fn: async () => {
    const w = await world();
    const channel = await connectCloud(w, { onSimulator: false });
    const event = await testEventArrives(w, channel.id);
    equal(event.via, "webhook");
    equal(event.webhook_status, 200);
    deepStrictEqual(event.webhook_response, { accepted: 1, duplicates: 0, ignored: 0 });
  },
});

const postEvolution = (path: string, secret: string, body: unknown) =>
  fetch(`${cfg.apiUrl}/functions/v1/webhook-evolution/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-atende-secret": secret },
    body: JSON.stringify(body),
  }).then(async (r) => (await r.body?.cancel(), r.status));

async function rotate(w: World, channelId: string, body: Record<string, unknown>) {
  const res = await invoke(w.admin.client, `channels/${channelId}/secrets`, { body });
  equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

Deno.test({
  name: "a rotated webhook secret works at once, and the old one keeps working until its grace ends",
  ...opts,
  fn: async () => {
    const w = await world();
    const channel = await connectEvolution(w);
    const first = channel.created.secrets.webhook_secret;
    const message = () => ({
      ...evolutionText(randomPhone(), randomKeyId(), "Oi"),
      instance: channel.externalId,
    });
    equal(await postEvolution(channel.id, first, message()), 200);

    const second = await rotate(w, channel.id, { secret: "webhook_secret", grace_seconds: 3600 });
    equal(
      second.setup.webhook_set.body.webhook.headers["x-atende-secret"],
      second.value,
      "the new setup to send",
    );
    ok(new Date(second.previous_valid_until) > new Date());
    equal(await postEvolution(channel.id, second.value, message()), 200, "the new secret works at once");
    equal(await postEvolution(channel.id, first, message()), 200, "the old one during the grace");
    equal(await postEvolution(channel.id, "not-the-secret", message()), 401);

    const third = await rotate(w, channel.id, { secret: "webhook_secret", grace_seconds: 0 });
    // Posted under the instance name, a URL this stack's webhook has not cached: a warm webhook sees a rotation
    // within its 30-second channel cache.
    equal(await postEvolution(channel.externalId, third.value, message()), 200);
    equal(
      await postEvolution(channel.externalId, second.value, message()),
      401,
      "without grace the old one stops",
    );
    equal(await postEvolution(channel.externalId, first, message()), 401);

    const [{ n }] = await sql`select count(*)::int as n from events
      where channel_id = ${channel.id} and type = 'channel.secret_rotated'`;
    equal(n, 2, "each rotation is in the tenant's log");
  },
});

Deno.test({
  name: "a Cloud API App Secret rotated in Meta's dashboard is pasted in, and both sign during the grace",
  ...opts,
  fn: async () => {
    const w = await world();
    const channel = await connectCloud(w, { onSimulator: false });
    const post = async (appSecret: string) => {
      const body = cloudBatch([{ from: randomPhone(), id: `wamid.${unique()}`, text: "Olá" }]);
      body.entry[0].changes[0].value.metadata.phone_number_id = channel.externalId;
      const bytes = new TextEncoder().encode(JSON.stringify(body));
      const res = await fetch(`${cfg.apiUrl}/functions/v1/webhook-whatsapp/${channel.id}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": await signCloudBody(bytes, appSecret),
        },
        body: bytes,
      });
      await res.body?.cancel();
      return res.status;
    };
    const old = channel.created.appSecret;
    const rotated = await rotate(w, channel.id, { secret: "app_secret", value: "new-app-secret-from-meta" });
    equal(rotated.value, undefined, "a secret that came from Meta is never echoed");
    equal(await post("new-app-secret-from-meta"), 200);
    equal(await post(old), 200);
    equal(await post("some-other-secret"), 401);
  },
});

Deno.test({
  name: "only admins connect numbers; managers are refused and no channel appears",
  ...opts,
  fn: async () => {
    const w = await world();
    const instance = `ops-${unique()}`;
    const refused = await invoke(w.manager.client, "channels", {
      body: {
        tenant_id: w.tenantId,
        provider: "evolution",
        name: "Tentativa",
        instance_name: instance,
        base_url: "http://127.0.0.1:9",
        api_key: "k",
      },
    });
    equal(refused.status, 403);
    equal(refused.body.error.code, "not_allowed");
    equal((await sql`select 1 from channels where external_id = ${instance}`).length, 0);

    const invalid = await invoke(w.admin.client, "channels", {
      body: { tenant_id: w.tenantId, provider: "cloud", name: "Sem token", phone_number_id: "123" },
    });
    equal(invalid.status, 400);
    equal(invalid.body.error.code, "invalid_request");
  },
});

Deno.test("close the channels tests' database connection", async () => {
  await sql.end();
});
