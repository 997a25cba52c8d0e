// The WhatsApp Cloud API as our product meets it: sends, signed status webhooks, Graph errors, the 24 h window
// and media.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { CLOUD, CUSTOMER, type Received, withSimulator } from "./testing.ts";

const BASE = 55410;
const auth = { authorization: `Bearer ${CLOUD.access_token}` };
const messagesPath = `/v21.0/${CLOUD.phone_number_id}/messages`;
const text = (to: string, body: string) => ({
  messaging_product: "whatsapp",
  recipient_type: "individual",
  to,
  type: "text",
  text: { body, preview_url: false },
});

function signatureOk(post: Received): boolean {
  const expected = createHmac("sha256", CLOUD.app_secret).update(post.raw).digest("hex");
  return post.headers.get("x-hub-signature-256") === `sha256=${expected}`;
}

const statuses = (p: Received) => p.body.entry[0].changes[0].value.statuses;
const inbound = (p: Received) => p.body.entry[0].changes[0].value.messages;

Deno.test("a Cloud API send answers 200 and the webhook gets sent, delivered, read signed over the raw bytes", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: `${receiver.url}/cloud` });
    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, { text: "Oi" });
    const sent = await control.call("POST", messagesPath, text(`+${CUSTOMER}`, "Como posso ajudar?"), auth);
    equal(sent.status, 200);
    deepEqual(Object.keys(sent.body), ["messaging_product", "contacts", "messages"]);
    equal(sent.body.messaging_product, "whatsapp");
    deepEqual(sent.body.contacts, [{ input: `+${CUSTOMER}`, wa_id: CUSTOMER }]);
    const id = sent.body.messages[0].id;
    match(id, /^wamid\.[A-Za-z0-9+/=]+$/);

    const posts = await receiver.waitFor("three statuses", (p) => Boolean(statuses(p)), 3);
    deepEqual(posts.map((p) => statuses(p)[0].status), ["sent", "delivered", "read"]);
    for (const post of posts) {
      ok(signatureOk(post), "X-Hub-Signature-256 is the HMAC of the exact bytes");
      equal(post.path, "/cloud");
      equal(post.body.object, "whatsapp_business_account");
      equal(post.body.entry[0].id, CLOUD.waba_id);
      equal(post.body.entry[0].changes[0].field, "messages");
      deepEqual(post.body.entry[0].changes[0].value.metadata, {
        display_phone_number: CLOUD.display_phone_number,
        phone_number_id: CLOUD.phone_number_id,
      });
      const status = statuses(post)[0];
      equal(status.id, id);
      equal(status.recipient_id, CUSTOMER);
      match(status.timestamp, /^\d{10}$/);
    }
    equal(statuses(posts[0])[0].pricing.category, "service");
  }));

Deno.test("a customer's non-ASCII text is signed over Meta's escaped bytes", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
    const words = "Olá, não recebi o pedido 😕";
    const sent = await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, {
      text: words,
      name: "Joana Araújo",
    });
    const [post] = await receiver.waitFor("the customer's message", (p) => Boolean(inbound(p)));
    ok(signatureOk(post));
    const raw = new TextDecoder().decode(post.raw);
    ok(raw.includes("Ol\\u00e1") && raw.includes("\\ud83d\\ude15"), "non-ASCII is escaped as \\uXXXX");
    ok(![...post.raw].some((b) => b > 127), "the body is pure ASCII");
    const value = post.body.entry[0].changes[0].value;
    deepEqual(value.contacts, [{ profile: { name: "Joana Araújo" }, wa_id: CUSTOMER }]);
    deepEqual(inbound(post)[0], {
      from: CUSTOMER,
      id: sent.id,
      timestamp: inbound(post)[0].timestamp,
      type: "text",
      text: { body: words },
    });
    match(sent.id, /^wamid\./);
  }));

Deno.test("a wrong Cloud API token gets Graph's 401, an unknown phone number id Graph's 400", () =>
  withSimulator(BASE, async ({ control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: "http://127.0.0.1:1/" });
    const bad = await control.call("POST", messagesPath, text(CUSTOMER, "oi"), {
      authorization: "Bearer nope",
    });
    equal(bad.status, 401);
    equal(bad.body.error.code, 190);
    equal(bad.body.error.type, "OAuthException");
    match(bad.body.error.fbtrace_id, /^\w{10,}$/);
    const missing = await control.call("POST", messagesPath, text(CUSTOMER, "oi"));
    equal(missing.status, 401);
    const unknown = await control.call("POST", "/v21.0/999/messages", text(CUSTOMER, "oi"), auth);
    equal(unknown.status, 400);
    equal(unknown.body.error.code, 100);
    equal(unknown.body.error.error_subcode, 33);
    const noTo = await control.call(
      "POST",
      messagesPath,
      { messaging_product: "whatsapp", type: "text" },
      auth,
    );
    equal(noTo.status, 400);
    equal(noTo.body.error.message, "(#100) The parameter to is required.");
    deepEqual(await control.ok("GET", "/_control/sent"), []);
  }));

Deno.test("a free-form send outside the 24 h window fails with 131047 while a template goes through", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
    const freeForm = await control.call("POST", messagesPath, text(CUSTOMER, "Olá?"), auth);
    equal(freeForm.status, 200, "Meta accepts the send and reports the failure as a status");
    const [failed] = await receiver.waitFor("the failed status", (p) => statuses(p)?.[0].status === "failed");
    const status = statuses(failed)[0];
    equal(status.id, freeForm.body.messages[0].id);
    equal(status.errors[0].code, 131047);
    equal(status.errors[0].title, "Re-engagement message");
    match(status.errors[0].error_data.details, /24 hours/);

    const template = await control.call("POST", messagesPath, {
      messaging_product: "whatsapp",
      to: CUSTOMER,
      type: "template",
      template: {
        name: "pedido_atualizado",
        language: { code: "pt_BR" },
        components: [{ type: "body", parameters: [{ type: "text", text: "#1042" }] }],
      },
    }, auth);
    equal(template.status, 200);
    const templateId = template.body.messages[0].id;
    await receiver.waitFor(
      "the template's read",
      (p) => statuses(p)?.[0].id === templateId && statuses(p)[0].status === "read",
    );

    // The customer wrote 25 hours ago: the window is closed again.
    await control.ok("PUT", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}`, {
      lastInboundAt: Date.now() - 25 * 3600_000,
    });
    const late = await control.call("POST", messagesPath, text(CUSTOMER, "Ainda aí?"), auth);
    await receiver.waitFor(
      "the second 131047",
      (p) => statuses(p)?.[0].id === late.body.messages[0].id && statuses(p)[0].status === "failed",
    );

    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, {
      text: "Estou sim",
    });
    const open = await control.call("POST", messagesPath, text(CUSTOMER, "Ótimo!"), auth);
    await receiver.waitFor(
      "delivery inside the window",
      (p) => statuses(p)?.[0].id === open.body.messages[0].id && statuses(p)[0].status === "delivered",
    );
  }));

Deno.test("media a customer sends can be looked up and downloaded with the token for five minutes", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, {
      type: "image",
      text: "foto do produto",
    });
    const [post] = await receiver.waitFor("the image message", (p) => inbound(p)?.[0].type === "image");
    const image = inbound(post)[0].image;
    equal(image.caption, "foto do produto");
    equal(image.mime_type, "image/png");
    match(image.id, /^\d{16}$/);

    const info = await control.call("GET", `/v21.0/${image.id}`, undefined, auth);
    equal(info.status, 200);
    deepEqual(Object.keys(info.body), ["messaging_product", "url", "mime_type", "sha256", "file_size", "id"]);
    equal(info.body.file_size, "70");
    const bytes = await fetch(info.body.url, { headers: auth });
    equal(bytes.status, 200);
    equal(bytes.headers.get("content-type"), "image/png");
    const body = new Uint8Array(await bytes.arrayBuffer());
    equal(createHash("sha256").update(body).digest("hex"), info.body.sha256);
    equal(createHash("sha256").update(body).digest("base64"), image.sha256, "the webhook's sha256 is base64");

    const anonymous = await fetch(info.body.url);
    await anonymous.body?.cancel();
    equal(anonymous.status, 401);
    const tampered = await fetch(
      info.body.url.replace(/ext=\d+/, `ext=${Math.floor(Date.now() / 1000) + 9999}`),
      {
        headers: auth,
      },
    );
    await tampered.body?.cancel();
    equal(tampered.status, 403);
    const otherToken = await control.call("GET", `/v21.0/${image.id}`, undefined, {
      authorization: "Bearer x",
    });
    equal(otherToken.status, 401);
  }));

Deno.test("marking a customer's message read answers success and turns its ticks blue", () =>
  withSimulator(BASE, async ({ receiver, control }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
    const message = await control.ok(
      "POST",
      `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`,
      {
        text: "Bom dia",
      },
    );
    const read = await control.call("POST", messagesPath, {
      messaging_product: "whatsapp",
      status: "read",
      message_id: message.id,
    }, auth);
    deepEqual(read, { status: 200, body: { success: true } });
    equal((await control.ok("GET", `/_control/messages/${encodeURIComponent(message.id)}`)).status, "read");
    deepEqual(await control.ok("GET", "/_control/sent"), [], "marking read is not a send");
  }));

Deno.test("an uploaded file can be sent by its media id and the phone shows it", () =>
  withSimulator(BASE, async ({ receiver, control, sim }) => {
    await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: receiver.url });
    await control.ok("POST", `/_control/customers/${CLOUD.phone_number_id}/${CUSTOMER}/send`, {
      text: "manda o boleto",
    });
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", "application/pdf");
    form.set("file", new File(["%PDF-1.4 boleto"], "boleto.pdf", { type: "application/pdf" }));
    const uploaded = await fetch(`${sim.url}/v21.0/${CLOUD.phone_number_id}/media`, {
      method: "POST",
      headers: auth,
      body: form,
    });
    const { id } = await uploaded.json();
    match(id, /^\d{16}$/);
    const sent = await control.call("POST", messagesPath, {
      messaging_product: "whatsapp",
      to: CUSTOMER,
      type: "document",
      document: { id, filename: "boleto.pdf", caption: "Segue o boleto" },
    }, auth);
    equal(sent.status, 200);
    const message = await control.ok(
      "GET",
      `/_control/messages/${encodeURIComponent(sent.body.messages[0].id)}`,
    );
    equal(message.kind, "document");
    equal(message.text, "Segue o boleto");
    deepEqual(message.media, { mimetype: "application/pdf", mediaId: id, fileName: "boleto.pdf" });
    const file = await fetch(`${sim.url}/_phone/media/${id}`);
    equal(await file.text(), "%PDF-1.4 boleto");
  }));
