// A customer writing in: each message reaches our webhook in the provider's own format.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { waitFor } from "../test/wait.ts";
import { CLOUD, CUSTOMER, EVOLUTION, withSimulator } from "./testing.ts";

const BASE = 55440;
const evoHeaders = { apikey: EVOLUTION.apikey };

Deno.test("a customer's text reaches the Evolution webhook as messages.upsert", () =>
  withSimulator(BASE, async ({ sim, receiver, control }) => {
    const channel = await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, events: ["MESSAGES_UPSERT"] },
    });
    const sent = await control.call("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`, {
      text: "Boa tarde, quero trocar um produto",
      name: "Carla Mendes",
    });
    equal(sent.status, 201);
    const [post] = await receiver.waitFor("messages.upsert", () => true);
    equal(post.body.event, "messages.upsert");
    equal(post.body.sender, `${channel.number}@s.whatsapp.net`, "sender is the instance's own number");
    equal(post.body.server_url, sim.url);
    const data = post.body.data;
    deepEqual(data.key, { remoteJid: `${CUSTOMER}@s.whatsapp.net`, fromMe: false, id: sent.body.id });
    match(data.key.id, /^[0-9A-F]{32}$/);
    equal(data.pushName, "Carla Mendes");
    equal(data.status, "DELIVERY_ACK");
    deepEqual(data.message, { conversation: "Boa tarde, quero trocar um produto" });
    equal(data.messageType, "conversation");
    ok(
      Number.isInteger(data.messageTimestamp) && data.messageTimestamp < 1e11,
      "messageTimestamp in seconds",
    );
    equal(data.instanceId, channel.instanceId);
    equal(data.source, "android");
    equal("contextInfo" in data, false);
  }));

Deno.test("a customer's reply and reaction point at the agent's message in both formats", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    const evolution = await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      number: "5511944445555",
      webhook: { enabled: true, url: `${receiver.url}/evo`, events: ["MESSAGES_UPSERT"] },
    });
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: `${receiver.url}/cloud` });
    const agent = await control.call("POST", `/message/sendText/${EVOLUTION.instance}`, {
      number: CUSTOMER,
      text: "Posso ajudar?",
    }, evoHeaders);
    const agentId = agent.body.key.id;
    await control.ok("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`, {
      text: "Pode sim",
      refersTo: agentId,
    });
    await control.ok("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`, {
      type: "reaction",
      text: "❤️",
      refersTo: agentId,
    });
    const [reply, reaction] = await receiver.waitFor(
      "the reply and the reaction",
      (p) => p.path === "/evo",
      2,
    );
    deepEqual(reply.body.data.contextInfo, {
      stanzaId: agentId,
      participant: `${evolution.number}@s.whatsapp.net`,
      quotedMessage: { conversation: "Posso ajudar?" },
    });
    equal(reaction.body.data.messageType, "reactionMessage");
    deepEqual(reaction.body.data.message.reactionMessage.key, {
      remoteJid: `${CUSTOMER}@s.whatsapp.net`,
      fromMe: true,
      id: agentId,
    });
    equal(reaction.body.data.message.reactionMessage.text, "❤️");

    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, { text: "oi" });
    const cloudAgent = await control.call("POST", `/v21.0/${CLOUD.phone_number_id}/messages`, {
      messaging_product: "whatsapp",
      to: CUSTOMER,
      text: { body: "Olá!" },
    }, { authorization: `Bearer ${CLOUD.access_token}` });
    const wamid = cloudAgent.body.messages[0].id;
    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, {
      text: "Obrigado",
      refersTo: wamid,
    });
    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, {
      type: "reaction",
      text: "",
      refersTo: wamid,
    });
    const cloud = await receiver.waitFor(
      "the Cloud API reply and reaction",
      (p) => p.path === "/cloud" && Boolean(p.body.entry[0].changes[0].value.messages),
      3,
    );
    const [cloudReply, cloudReaction] = cloud.slice(1).map((p) =>
      p.body.entry[0].changes[0].value.messages[0]
    );
    deepEqual(cloudReply.context, { from: CLOUD.display_phone_number, id: wamid });
    deepEqual(
      cloudReaction.reaction,
      { message_id: wamid, emoji: "" },
      "an empty emoji removes the reaction",
    );
  }));

Deno.test("a customer's image reaches Evolution inline as base64 and through getBase64FromMediaMessage", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, base64: true, events: ["MESSAGES_UPSERT"] },
    });
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const sent = await control.ok("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`, {
      type: "image",
      text: "olha a foto",
      media: { base64: png, mimetype: "image/png" },
    });
    const [post] = await receiver.waitFor("the image upsert", () => true);
    equal(post.body.data.messageType, "imageMessage");
    equal(post.body.data.message.imageMessage.caption, "olha a foto");
    deepEqual(post.body.data.message.imageMessage.fileLength, { low: 70, high: 0, unsigned: true });
    equal(post.body.data.message.base64, png);

    const fetched = await control.call("POST", `/chat/getBase64FromMediaMessage/${EVOLUTION.instance}`, {
      message: { key: { id: sent.id } },
    }, evoHeaders);
    equal(fetched.status, 201);
    equal(fetched.body.base64, png);
    equal(fetched.body.mediaType, "imageMessage");
    equal(fetched.body.mimetype, "image/png");
  }));

Deno.test("the customer's phone shows ✓✓ once our endpoint took the message, and blue once an agent read it", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, events: [] },
    });
    const sent = await control.ok("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`, {
      text: "oi",
    });
    equal(sent.status, "sent");
    await waitFor("✓✓ on the customer's message", async () => {
      const chat = await control.ok("GET", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}`);
      return chat.messages[0].status === "delivered";
    });
    const read = await control.call("POST", `/chat/markMessageAsRead/${EVOLUTION.instance}`, {
      readMessages: [{ remoteJid: `${CUSTOMER}@s.whatsapp.net`, fromMe: false, id: sent.id }],
    }, evoHeaders);
    deepEqual(read, { status: 201, body: { message: "Read messages", read: "success" } });
    equal((await control.ok("GET", `/_control/messages/${sent.id}`)).status, "read");
  }));

Deno.test("a customer on an unknown channel or with a bad number is refused by the control API", () =>
  withSimulator(BASE, async ({ control }) => {
    equal(
      (await control.call("POST", `/_control/customers/nope/${CUSTOMER}/send`, { text: "oi" })).status,
      404,
    );
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    const bad = await control.call("POST", `/_control/customers/${EVOLUTION.instance}/12/send`, {
      text: "oi",
    });
    deepEqual([bad.status, bad.body.error.code], [400, "bad_phone"]);
    const empty = await control.call(
      "POST",
      `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`,
      {},
    );
    deepEqual([empty.status, empty.body.error.code], [400, "invalid"]);
  }));
