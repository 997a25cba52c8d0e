// What Evolution API v2 posts to a webhook (whatsapp-formats §1.1–1.5): the envelope, the `prepareMessage`
// object of `messages.upsert` / `send.message`, and `messages.update` receipts — with the configured headers,
// the byEvents URL suffix and Evolution's retry rules.
import {
  alnum,
  digits,
  hs256Jwt,
  indexKeyed,
  long,
  randomBytes,
  sha256,
  toBase64,
  toHex,
  unixSeconds,
  utf8,
} from "./encoding.ts";
import type { ChatMessage, EvolutionChannel, MessageStatus } from "./model.ts";
import type { Sim } from "./sim.ts";

/** `EventController.events`: the names `/webhook/set` accepts (an empty list means all of them). */
export const EVOLUTION_EVENTS = [
  "APPLICATION_STARTUP",
  "QRCODE_UPDATED",
  "MESSAGES_SET",
  "MESSAGES_UPSERT",
  "MESSAGES_EDITED",
  "MESSAGES_UPDATE",
  "MESSAGES_DELETE",
  "SEND_MESSAGE",
  "SEND_MESSAGE_UPDATE",
  "CONTACTS_SET",
  "CONTACTS_UPSERT",
  "CONTACTS_UPDATE",
  "PRESENCE_UPDATE",
  "CHATS_SET",
  "CHATS_UPSERT",
  "CHATS_UPDATE",
  "CHATS_DELETE",
  "GROUPS_UPSERT",
  "GROUP_UPDATE",
  "GROUP_PARTICIPANTS_UPDATE",
  "CONNECTION_UPDATE",
  "LABELS_EDIT",
  "LABELS_ASSOCIATION",
  "CALL",
  "TYPEBOT_START",
  "TYPEBOT_CHANGE_STATUS",
  "REMOVE_INSTANCE",
  "LOGOUT_INSTANCE",
  "INSTANCE_CREATE",
  "INSTANCE_DELETE",
  "STATUS_INSTANCE",
];

/** `WEBHOOK_RETRY_NON_RETRYABLE_STATUS_CODES`' default. */
const NON_RETRYABLE = [400, 401, 403, 404, 422];

const ACK: Record<MessageStatus, string> = {
  pending: "PENDING",
  sent: "SERVER_ACK",
  delivered: "DELIVERY_ACK",
  read: "READ",
  failed: "ERROR",
};

export const jid = (phone: string): string => `${digits(phone)}@s.whatsapp.net`;

/** Evolution's `date_time`: the server's local time printed as ISO with a (misleading) "Z". */
const localIso = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString();

/** axios' headers, then the configured ones verbatim; a `jwt_key` becomes a signed Bearer token. */
function webhookHeaders(configured: Record<string, string>): Record<string, string> {
  const headers = new Headers({
    accept: "application/json, text/plain, */*",
    "content-type": "application/json",
    "user-agent": "axios/1.7.9",
  });
  for (const [name, value] of Object.entries(configured)) {
    if (name !== "jwt_key") headers.set(name, String(value));
  }
  if (configured.jwt_key) {
    const iat = unixSeconds();
    const token = hs256Jwt({ iat, exp: iat + 600, app: "evolution", action: "webhook" }, configured.jwt_key);
    headers.set("authorization", `Bearer ${token}`);
  }
  return Object.fromEntries(headers);
}

/** Posts one event to the instance webhook, if it is enabled and subscribed to the event. */
function emitEvolution(
  sim: Sim,
  channel: EvolutionChannel,
  event: string,
  data: unknown,
  customer: string,
  onDelivered?: () => void,
): void {
  const webhook = channel.webhook;
  const upper = event.replace(/[.-]/g, "_").toUpperCase();
  if (!webhook?.enabled || !webhook.events.includes(upper)) return;
  const envelope = {
    event,
    instance: channel.instance,
    data,
    destination: webhook.url,
    date_time: localIso(),
    sender: jid(channel.number),
    server_url: sim.url,
    apikey: channel.apikey,
  };
  sim.webhooks.post({
    channel: channel.key,
    customer,
    label: event,
    url: webhook.webhookByEvents ? `${webhook.url}/${upper.replace(/_/g, "-").toLowerCase()}` : webhook.url,
    headers: webhookHeaders(webhook.headers),
    body: utf8(JSON.stringify(envelope)),
    delivered: (status) => status >= 200 && status < 300,
    retryable: (status) => !NON_RETRYABLE.includes(status),
    onDelivered,
  });
}

export interface MediaFile {
  bytes: Uint8Array;
  mimetype: string;
  fileName?: string;
}

/** Baileys' media fields (binary ones index-keyed, lengths as Longs), pointing at an encrypted file on WhatsApp's CDN. */
function mediaFields(message: ChatMessage, file: MediaFile) {
  const numbers = (n: number) => alnum(n, "0123456789");
  const directPath = `/v/t62.7118-24/${numbers(8)}_${numbers(16)}_${numbers(16)}_n.enc?ccb=11-4&oh=01_Q5Aa${
    alnum(38)
  }&oe=${toHex(randomBytes(4)).toUpperCase()}&_nc_sid=5e03e0`;
  const caption = message.text ? { caption: message.text } : {};
  const fields = {
    url: `https://mmg.whatsapp.net${directPath}&mms3=true`,
    mimetype: file.mimetype,
    fileSha256: indexKeyed(sha256(file.bytes)),
    fileLength: long(file.bytes.length),
    mediaKey: indexKeyed(randomBytes(32)),
    fileEncSha256: indexKeyed(randomBytes(32)),
    directPath,
    mediaKeyTimestamp: long(unixSeconds(), false),
  };
  switch (message.kind) {
    case "audio":
      return { ...fields, seconds: 1, ptt: Boolean(message.media?.voice) };
    case "document":
      return { ...fields, title: file.fileName, fileName: file.fileName, ...caption };
    case "video":
      return { ...fields, seconds: 1, height: 1, width: 1, ...caption };
    default:
      return { ...fields, height: 1, width: 1, ...caption };
  }
}

/** The `message` / `messageType` / `contextInfo` part of Evolution's message object. */
export function evolutionContent(
  channel: EvolutionChannel,
  message: ChatMessage,
  file?: MediaFile,
  quoted?: ChatMessage,
) {
  const contextInfo = quoted
    ? {
      stanzaId: quoted.id,
      participant: quoted.direction === "out" ? jid(channel.number) : jid(quoted.customer),
      quotedMessage: { conversation: quoted.text },
    }
    : message.direction === "out"
    // What Evolution attaches to every direct send.
    ? {
      mentionedJid: [],
      groupMentions: [],
      ephemeralSettingTimestamp: long(unixSeconds() - 172_800, false),
      disappearingMode: { initiator: 0 },
    }
    : undefined;
  if (message.kind === "reaction") {
    const key = {
      remoteJid: jid(message.customer),
      fromMe: quoted?.direction === "out",
      id: message.refersTo,
    };
    const reaction = { key, text: message.text, senderTimestampMs: long(message.at, false) };
    return { message: { reactionMessage: reaction }, messageType: "reactionMessage" };
  }
  if (file) {
    const type = `${message.kind}Message`;
    return { message: { [type]: mediaFields(message, file) }, messageType: type, contextInfo };
  }
  return { message: { conversation: message.text }, messageType: "conversation", contextInfo };
}

/** `prepareMessage()`'s object: the body of `messages.upsert`, `send.message` and a send's 201. */
export function messageObject(
  channel: EvolutionChannel,
  message: ChatMessage,
  content: ReturnType<typeof evolutionContent>,
) {
  const fromMe = message.direction === "out";
  return {
    key: { remoteJid: jid(message.customer), fromMe, id: message.id },
    pushName: fromMe ? "Você" : undefined,
    status: fromMe ? "PENDING" : "DELIVERY_ACK",
    message: content.message as Record<string, unknown>,
    contextInfo: content.contextInfo,
    messageType: content.messageType,
    messageTimestamp: unixSeconds(message.at),
    instanceId: channel.instanceId,
    source: fromMe ? "web" : "android",
  };
}

/** Adds the whole file as base64 when the webhook asks for it (`webhook.base64`). */
function withBase64(channel: EvolutionChannel, object: ReturnType<typeof messageObject>, file?: MediaFile) {
  if (!file || !channel.webhook?.webhookBase64) return object;
  return { ...object, message: { ...object.message, base64: toBase64(file.bytes) } };
}

export function evolutionSent(
  sim: Sim,
  channel: EvolutionChannel,
  message: ChatMessage,
  object: ReturnType<typeof messageObject>,
  file?: MediaFile,
): void {
  emitEvolution(sim, channel, "send.message", withBase64(channel, object, file), message.customer);
}

export function evolutionInbound(
  sim: Sim,
  channel: EvolutionChannel,
  message: ChatMessage,
  pushName: string,
  file?: MediaFile,
): void {
  const quoted = message.refersTo ? sim.phones.message(message.refersTo) : undefined;
  const object = {
    ...messageObject(channel, message, evolutionContent(channel, message, file, quoted)),
    pushName,
  };
  emitEvolution(
    sim,
    channel,
    "messages.upsert",
    withBase64(channel, object, file),
    message.customer,
    () => sim.phones.setStatus(message, "delivered"),
  );
}

export function evolutionReceipt(sim: Sim, channel: EvolutionChannel, message: ChatMessage): void {
  const data = {
    keyId: message.id,
    remoteJid: jid(message.customer),
    fromMe: true,
    status: ACK[message.status],
    instanceId: channel.instanceId,
    messageId: message.rowId,
  };
  emitEvolution(sim, channel, "messages.update", data, message.customer);
}
