// What the WhatsApp Cloud API posts to a webhook (whatsapp-formats §2.2–2.5): the `whatsapp_business_account`
// envelope with inbound `messages` or `statuses`, serialized as Meta does (non-ASCII escaped) and signed over
// those exact bytes with the app secret. Meta retries anything but a 200.
import { asciiJson, hmacHex, toBase64, unixSeconds, utf8 } from "./encoding.ts";
import type { StoredMedia } from "./media.ts";
import type { ChatMessage, CloudChannel, ProviderError } from "./model.ts";
import type { Sim } from "./sim.ts";

const ERROR_CODES_URL = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

function emitCloud(
  sim: Sim,
  channel: CloudChannel,
  value: Record<string, unknown>,
  customer: string,
  label: "messages" | "statuses",
  onDelivered?: () => void,
): void {
  if (!channel.webhookUrl) return;
  const envelope = {
    object: "whatsapp_business_account",
    entry: [{
      id: channel.wabaId,
      changes: [{
        value: {
          messaging_product: "whatsapp",
          metadata: {
            display_phone_number: channel.displayPhoneNumber,
            phone_number_id: channel.phoneNumberId,
          },
          ...value,
        },
        field: "messages",
      }],
    }],
  };
  const body = utf8(asciiJson(envelope));
  sim.webhooks.post({
    channel: channel.key,
    customer,
    label,
    url: channel.webhookUrl,
    headers: {
      "content-type": "application/json",
      "user-agent": "facebookexternalua",
      "x-hub-signature": `sha1=${hmacHex("sha1", channel.appSecret, body)}`,
      "x-hub-signature-256": `sha256=${hmacHex("sha256", channel.appSecret, body)}`,
    },
    body,
    delivered: (status) => status === 200,
    retryable: () => true,
    onDelivered,
  });
}

/** A status object as in the `statuses[]` reference: pricing on sent/delivered, errors on failed. */
export function cloudReceipt(sim: Sim, channel: CloudChannel, message: ChatMessage): void {
  if (message.status === "pending") return;
  const template = message.kind === "template";
  const pricing = message.status === "sent" || message.status === "delivered"
    ? {
      pricing: {
        billable: template,
        pricing_model: "PMP",
        category: template ? "utility" : "service",
        type: template ? "regular" : "free_customer_service",
      },
    }
    : {};
  const status = {
    id: message.id,
    status: message.status,
    timestamp: String(unixSeconds()),
    recipient_id: message.customer,
    ...(message.callbackData ? { biz_opaque_callback_data: message.callbackData } : {}),
    ...pricing,
    ...(message.status === "failed" && message.error ? { errors: [statusError(message.error)] } : {}),
  };
  emitCloud(sim, channel, { statuses: [status] }, message.customer, "statuses");
}

const statusError = (e: ProviderError) => ({
  code: e.code,
  title: e.title,
  message: e.title,
  error_data: { details: e.details },
  href: ERROR_CODES_URL,
});

function content(message: ChatMessage, media?: StoredMedia): Record<string, unknown> {
  const caption = message.text ? { caption: message.text } : {};
  const file = media && { mime_type: media.mimetype, sha256: toBase64(media.sha256), id: media.id };
  switch (message.kind) {
    case "text":
      return { body: message.text };
    case "reaction":
      return { message_id: message.refersTo, emoji: message.text };
    case "audio":
      return { ...file, voice: Boolean(message.media?.voice) };
    case "document":
      return { ...caption, filename: media?.fileName, ...file };
    case "sticker":
      return { ...file, animated: false };
    default:
      return { ...caption, ...file };
  }
}

/** A customer's message: `contacts` with the profile name, and the message (with `context` for a reply). */
export function cloudInbound(
  sim: Sim,
  channel: CloudChannel,
  message: ChatMessage,
  name: string,
  media?: StoredMedia,
): void {
  const quoted = message.kind !== "reaction" && message.refersTo
    ? sim.phones.message(message.refersTo)
    : undefined;
  const context = quoted
    ? {
      context: {
        from: quoted.direction === "out" ? channel.displayPhoneNumber : quoted.customer,
        id: quoted.id,
      },
    }
    : {};
  const inbound = {
    from: message.customer,
    id: message.id,
    timestamp: String(unixSeconds(message.at)),
    type: message.kind,
    ...context,
    [message.kind]: content(message, media),
  };
  emitCloud(
    sim,
    channel,
    { contacts: [{ profile: { name }, wa_id: message.customer }], messages: [inbound] },
    message.customer,
    "messages",
    () => sim.phones.setStatus(message, "delivered"),
  );
}
