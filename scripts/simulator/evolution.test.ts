// Evolution API as our product meets it: sends, the instance webhook, receipts and errors.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { verifyJwt } from "../local/jwt.ts";
import { CUSTOMER, EVOLUTION, withSimulator } from "./testing.ts";

const BASE = 55400;
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

Deno.test("an Evolution text send answers 201 and the webhook gets send.message then SERVER_ACK, DELIVERY_ACK, READ", () =>
  withSimulator(BASE, async ({ sim, receiver, control }) => {
    const channel = await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      number: "5511944445555",
    });
    const hook = `${receiver.url}/hooks/evolution`;
    const set = await control.call("POST", `/webhook/set/${EVOLUTION.instance}`, {
      webhook: {
        enabled: true,
        url: hook,
        headers: { "x-atende-secret": "s3cret" },
        byEvents: true,
        base64: false,
        events: ["SEND_MESSAGE", "MESSAGES_UPDATE"],
      },
    }, { apikey: EVOLUTION.apikey });
    equal(set.status, 201);

    const sent = await control.call("POST", `/message/sendText/${EVOLUTION.instance}`, {
      number: CUSTOMER,
      text: "Olá! Seu pedido saiu para entrega.",
    }, { apikey: EVOLUTION.apikey });
    equal(sent.status, 201);
    const { key, ...rest } = sent.body;
    deepEqual(Object.keys(key), ["remoteJid", "fromMe", "id"]);
    equal(key.remoteJid, `${CUSTOMER}@s.whatsapp.net`);
    equal(key.fromMe, true);
    match(key.id, /^3EB0[0-9A-F]{18}$/);
    equal(rest.pushName, "Você");
    equal(rest.status, "PENDING");
    deepEqual(rest.message, { conversation: "Olá! Seu pedido saiu para entrega." });
    equal(rest.messageType, "conversation");
    equal(typeof rest.messageTimestamp, "number");
    ok(Math.abs(rest.messageTimestamp - Date.now() / 1000) < 60, "messageTimestamp is in seconds");
    equal(rest.instanceId, channel.instanceId);
    equal(rest.source, "web");

    const posts = await receiver.waitFor("send.message and three receipts", () => true, 4);
    deepEqual(posts.map((p) => p.path), [
      "/hooks/evolution/send-message",
      "/hooks/evolution/messages-update",
      "/hooks/evolution/messages-update",
      "/hooks/evolution/messages-update",
    ]);
    deepEqual(posts.map((p) => p.body.event), [
      "send.message",
      "messages.update",
      "messages.update",
      "messages.update",
    ]);
    for (const post of posts) {
      equal(post.headers.get("x-atende-secret"), "s3cret");
      equal(post.headers.get("content-type"), "application/json");
      equal(post.body.instance, EVOLUTION.instance);
      equal(post.body.destination, hook, "destination has no byEvents suffix");
      equal(post.body.sender, "5511944445555@s.whatsapp.net");
      equal(post.body.server_url, sim.url);
      equal(post.body.apikey, EVOLUTION.apikey);
      match(post.body.date_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    deepEqual(posts[0].body.data, sent.body, "send.message carries the same object as the 201");
    deepEqual(posts.slice(1).map((p) => p.body.data.status), ["SERVER_ACK", "DELIVERY_ACK", "READ"]);
    const update = posts[1].body.data;
    deepEqual(Object.keys(update), ["keyId", "remoteJid", "fromMe", "status", "instanceId", "messageId"]);
    equal(update.keyId, key.id);
    equal(update.remoteJid, `${CUSTOMER}@s.whatsapp.net`);
    equal(update.fromMe, true);
    equal(update.instanceId, rest.instanceId);
  }));

Deno.test("the Evolution webhook is stored by /webhook/set, read back by /webhook/find, and empty events mean all", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    const headers = { apikey: EVOLUTION.apikey };
    const set = await control.call("POST", `/webhook/set/${EVOLUTION.instance}`, {
      webhook: { enabled: true, url: "http://127.0.0.1:1/x", events: [] },
    }, headers);
    equal(set.status, 201);
    equal(set.body.url, "http://127.0.0.1:1/x");
    equal(set.body.enabled, true);
    equal(set.body.webhookByEvents, false);
    equal(set.body.webhookBase64, false);
    ok(set.body.events.includes("MESSAGES_UPSERT") && set.body.events.length === 31, "all 31 events");
    const found = await control.call("GET", `/webhook/find/${EVOLUTION.instance}`, undefined, headers);
    deepEqual(found, { status: 200, body: set.body });

    const invalid = await control.call("POST", `/webhook/set/${EVOLUTION.instance}`, {
      webhook: { enabled: true },
    }, headers);
    deepEqual(invalid, {
      status: 400,
      body: { status: 400, error: "Bad Request", response: { message: ['webhook requires property "url"'] } },
    });
  }));

Deno.test("a wrong or missing Evolution apikey gets 401, and an unknown route Evolution's 404", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    const unauthorized = { status: 401, error: "Unauthorized", response: { message: "Unauthorized" } };
    const body = { number: CUSTOMER, text: "oi" };
    const path = `/message/sendText/${EVOLUTION.instance}`;
    deepEqual(await control.call("POST", path, body, { apikey: "wrong" }), {
      status: 401,
      body: unauthorized,
    });
    deepEqual(await control.call("POST", path, body), { status: 401, body: unauthorized });
    deepEqual(await control.call("POST", `/message/sendFoo/${EVOLUTION.instance}`, body), {
      status: 404,
      body: {
        status: 404,
        error: "Not Found",
        response: { message: [`Cannot POST /message/sendFoo/${EVOLUTION.instance}`] },
      },
    });
    deepEqual(await control.ok("GET", "/_control/sent"), [], "refused requests are not sends");
  }));

Deno.test("an Evolution send without text is refused with Evolution's validation message", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    const res = await control.call("POST", `/message/sendText/${EVOLUTION.instance}`, { number: CUSTOMER }, {
      apikey: EVOLUTION.apikey,
    });
    deepEqual(res, {
      status: 400,
      body: {
        status: 400,
        error: "Bad Request",
        response: { message: ['instance requires property "text"'] },
      },
    });
  }));

Deno.test("an Evolution image send carries Baileys' media fields, and the webhook the file as base64", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: { enabled: true, url: receiver.url, base64: true, events: ["SEND_MESSAGE"] },
    });
    const sent = await control.call("POST", `/message/sendMedia/${EVOLUTION.instance}`, {
      number: CUSTOMER,
      mediatype: "image",
      mimetype: "image/png",
      media: PNG,
      caption: "Comprovante",
    }, { apikey: EVOLUTION.apikey });
    equal(sent.status, 201);
    equal(sent.body.messageType, "imageMessage");
    const image = sent.body.message.imageMessage;
    equal(image.caption, "Comprovante");
    equal(image.mimetype, "image/png");
    match(image.url, /^https:\/\/mmg\.whatsapp\.net\/v\/t62/);
    equal(Object.keys(image.fileSha256).length, 32, "fileSha256 is an index-keyed object");
    equal(image.fileSha256["0"] >= 0 && image.fileSha256["0"] < 256, true);
    deepEqual(image.fileLength, { low: 70, high: 0, unsigned: true });
    equal(sent.body.message.base64, undefined, "the 201 carries no base64");
    const [post] = await receiver.waitFor("send.message", (p) => p.body.event === "send.message");
    equal(post.body.data.message.base64, PNG);
  }));

Deno.test("an Evolution voice note is an Opus PTT audio message", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/evolution", EVOLUTION);
    const sent = await control.call("POST", `/message/sendWhatsAppAudio/${EVOLUTION.instance}`, {
      number: CUSTOMER,
      audio: "https://example.com/audio.mp3",
    }, { apikey: EVOLUTION.apikey });
    equal(sent.status, 201);
    equal(sent.body.messageType, "audioMessage");
    equal(sent.body.message.audioMessage.ptt, true);
    equal(sent.body.message.audioMessage.mimetype, "audio/ogg; codecs=opus");
    const refused = await control.call("POST", `/message/sendWhatsAppAudio/${EVOLUTION.instance}`, {
      number: CUSTOMER,
      audio: "not audio",
    }, { apikey: EVOLUTION.apikey });
    deepEqual(refused.body.response.message, [
      "Owned media must be a url, base64, or valid file with buffer",
    ]);
  }));

Deno.test("an Evolution jwt_key header becomes a signed Bearer token on each webhook", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/evolution", {
      ...EVOLUTION,
      webhook: {
        enabled: true,
        url: receiver.url,
        headers: { jwt_key: "jwt-secret-of-32-characters-long!" },
      },
    });
    await control.ok("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/send`, { text: "oi" });
    const [post] = await receiver.waitFor("messages.upsert", (p) => p.body.event === "messages.upsert");
    equal(post.headers.get("jwt_key"), null);
    const token = post.headers.get("authorization")!.replace(/^Bearer /, "");
    const claims = await verifyJwt(token, "jwt-secret-of-32-characters-long!");
    equal(claims.app, "evolution");
    equal(claims.action, "webhook");
    equal(Number(claims.exp) - Number(claims.iat), 600);
  }));
