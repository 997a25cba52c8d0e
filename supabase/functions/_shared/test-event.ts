// "Send test event": a customer message that travels the whole road, so an integrator sees their setup work.
// A channel on the WhatsApp simulator has the simulator deliver it (its customer writes, and it posts the webhook
// to whatever URL the integrator configured there). Any other channel gets a webhook in the provider's real
// format, authenticated as the provider would (Evolution's secret header, Meta's signature), posted to our own
// webhook URL. Either way the answer names the message, so the console can follow it (public.channel_test_event).
import { SECRET_HEADER, webhookUrl } from "./channel-setup.ts";
import { signCloudBody } from "./signature.ts";

export interface TestEventTarget {
  id: string;
  provider: "evolution" | "cloud";
  external_id: string;
  base_url: string | null;
  waba_id: string | null;
  webhook_secret: string | null;
  app_secret: string | null;
}

export interface TestEventInput {
  phone: string;
  text: string;
  name: string;
}

export type TestEventResult =
  | { via: "simulator"; provider_message_id: string; phone: string }
  | {
    via: "webhook";
    provider_message_id: string;
    phone: string;
    webhook_status: number;
    webhook_response: unknown;
  };

const PROBE_TIMEOUT_MS = 3_000;

/** Whether the channel's provider address is the simulator and it has this channel registered. */
async function simulatorHas(target: TestEventTarget): Promise<boolean> {
  if (!target.base_url) return false;
  try {
    const res = await fetch(`${target.base_url.replace(/\/$/, "")}/_control/channels`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const channels = res.ok ? await res.json() : null;
    return Array.isArray(channels) && channels.some((c) => c?.key === target.external_id);
  } catch {
    return false;
  }
}

async function viaSimulator(target: TestEventTarget, input: TestEventInput): Promise<TestEventResult> {
  const base = target.base_url!.replace(/\/$/, "");
  const res = await fetch(
    `${base}/_control/customers/${encodeURIComponent(target.external_id)}/${input.phone}/send`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "text", text: input.text, name: input.name }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    },
  );
  const message = await res.json();
  if (!res.ok || typeof message?.id !== "string") {
    throw new Error(`the simulator refused the test message: ${res.status} ${JSON.stringify(message)}`);
  }
  return { via: "simulator", provider_message_id: message.id, phone: input.phone };
}

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("")
    .toUpperCase();

/** Evolution `messages.upsert` (whatsapp-formats §1.1), as Evolution API v2 posts it. */
function evolutionBody(target: TestEventTarget, input: TestEventInput, id: string) {
  return {
    event: "messages.upsert",
    instance: target.external_id,
    data: {
      key: { remoteJid: `${input.phone}@s.whatsapp.net`, fromMe: false, id },
      pushName: input.name,
      status: "DELIVERY_ACK",
      message: { conversation: input.text },
      messageType: "conversation",
      messageTimestamp: Math.floor(Date.now() / 1000),
      source: "android",
    },
    destination: webhookUrl(target),
    date_time: new Date().toISOString(),
    server_url: target.base_url,
  };
}

/** Cloud API `messages` notification (whatsapp-formats §2.3), as Meta posts it. */
function cloudBody(target: TestEventTarget, input: TestEventInput, id: string) {
  return {
    object: "whatsapp_business_account",
    entry: [{
      id: target.waba_id ?? "0",
      changes: [{
        field: "messages",
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: target.external_id, phone_number_id: target.external_id },
          contacts: [{ profile: { name: input.name }, wa_id: input.phone }],
          messages: [{
            from: input.phone,
            id,
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: "text",
            text: { body: input.text },
          }],
        },
      }],
    }],
  };
}

async function viaWebhook(target: TestEventTarget, input: TestEventInput): Promise<TestEventResult> {
  const evolution = target.provider === "evolution";
  const id = evolution ? `3EB0${randomHex(8)}` : `wamid.ATENDETEST${randomHex(12)}`;
  const bytes = new TextEncoder().encode(
    JSON.stringify(evolution ? evolutionBody(target, input, id) : cloudBody(target, input, id)),
  );
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (evolution) headers[SECRET_HEADER] = target.webhook_secret ?? "";
  else headers["x-hub-signature-256"] = await signCloudBody(bytes, target.app_secret ?? "");
  const res = await fetch(webhookUrl(target), { method: "POST", headers, body: bytes });
  const text = await res.text();
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return {
    via: "webhook",
    provider_message_id: id,
    phone: input.phone,
    webhook_status: res.status,
    webhook_response: response,
  };
}

export async function sendTestEvent(
  target: TestEventTarget,
  input: TestEventInput,
): Promise<TestEventResult> {
  return await simulatorHas(target) ? viaSimulator(target, input) : viaWebhook(target, input);
}
