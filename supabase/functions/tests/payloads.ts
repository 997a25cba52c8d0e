// Webhook bodies in the providers' exact shapes (../shared/reference/whatsapp-formats.md §1.1, §1.3, §1.5, §2.3–2.5),
// with made-up values, for the ingestion tests.
import { signCloudBody } from "../_shared/signature.ts";

export const DEMO = {
  tenant: "de000000-0000-4000-8000-000000000001",
  ana: "de000000-0000-4000-8000-000000000101",
  evolutionChannel: "de000000-0000-4000-8000-000000000301",
  evolutionInstance: "atende-demo",
  evolutionSecret: "atende-demo-evolution-webhook-secret",
  cloudChannel: "de000000-0000-4000-8000-000000000302",
  cloudPhoneNumberId: "100000000000001",
  cloudAppSecret: "atende-demo-cloud-app-secret",
  cloudVerifyToken: "atende-demo-cloud-verify-token",
};

export const randomPhone = () => `55119${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
export const randomKeyId = () => `3EB0${crypto.randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase()}`;
const seconds = () => Math.floor(Date.now() / 1000);

function evolutionEnvelope(event: string, data: unknown) {
  return {
    event,
    instance: DEMO.evolutionInstance,
    data,
    destination: "http://127.0.0.1/functions/v1/webhook-evolution",
    date_time: new Date().toISOString(),
    sender: "5511999990000@s.whatsapp.net",
    server_url: "http://127.0.0.1:8080",
    apikey: "instance-token-that-must-not-be-stored",
  };
}

export function evolutionText(
  phone: string,
  id: string,
  text: string,
  opts: { fromMe?: boolean; event?: string } = {},
) {
  return evolutionEnvelope(opts.event ?? "messages.upsert", {
    key: { remoteJid: `${phone}@s.whatsapp.net`, fromMe: opts.fromMe ?? false, id },
    pushName: opts.fromMe ? "Você" : "Maria Cliente",
    status: opts.fromMe ? "SERVER_ACK" : "DELIVERY_ACK",
    message: { conversation: text },
    contextInfo: null,
    messageType: "conversation",
    messageTimestamp: seconds(),
    instanceId: "2b1f6c1e-8d5a-4c1e-9a51-6a3f1f1b1c01",
    source: "android",
  });
}

export function evolutionReceipt(
  phone: string,
  keyId: string,
  status: "SERVER_ACK" | "DELIVERY_ACK" | "READ",
) {
  return evolutionEnvelope("messages.update", {
    messageId: crypto.randomUUID(),
    keyId,
    remoteJid: `${phone}@s.whatsapp.net`,
    fromMe: true,
    participant: `${phone}@s.whatsapp.net`,
    status,
    instanceId: "2b1f6c1e-8d5a-4c1e-9a51-6a3f1f1b1c01",
  });
}

export function cloudBatch(
  messages: { from: string; id: string; text: string }[],
  statuses: { id: string; status: string; recipient: string }[] = [],
) {
  return {
    object: "whatsapp_business_account",
    entry: [{
      id: "300000000000001",
      changes: [{
        field: "messages",
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: "15550000001", phone_number_id: DEMO.cloudPhoneNumberId },
          ...(messages.length
            ? {
              contacts: messages.map((m) => ({ profile: { name: "João Cliente" }, wa_id: m.from })),
              messages: messages.map((m) => ({
                from: m.from,
                id: m.id,
                timestamp: String(seconds()),
                type: "text",
                text: { body: m.text },
              })),
            }
            : {}),
          ...(statuses.length
            ? {
              statuses: statuses.map((s) => ({
                id: s.id,
                status: s.status,
                timestamp: String(seconds()),
                recipient_id: s.recipient,
              })),
            }
            : {}),
        },
      }],
    }],
  };
}

export async function postCloud(apiUrl: string, body: unknown, appSecret = DEMO.cloudAppSecret) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  return fetch(`${apiUrl}/functions/v1/webhook-whatsapp/${DEMO.cloudChannel}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": await signCloudBody(bytes, appSecret),
    },
    body: bytes,
  });
}

export function postEvolution(apiUrl: string, body: unknown, secret = DEMO.evolutionSecret, path = "") {
  return fetch(`${apiUrl}/functions/v1/webhook-evolution/${DEMO.evolutionChannel}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-atende-secret": secret },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
