// Baileys message content (proto.IMessage as Evolution forwards it) → the unified message fields.
// Evolution already rewrites extendedTextMessage to conversation and flattens documentWithCaptionMessage at
// the top level only, so wrappers (ephemeral, view-once, edited) are unwrapped here as Baileys does.
import type { MediaInfo, MessageEvent, MessageType } from "../inbound.ts";
import {
  base64Bytes,
  base64Size,
  defined,
  int,
  type Json,
  nonEmpty,
  num,
  record,
  records,
  str,
} from "./fields.ts";

const WRAPPERS = [
  "ephemeralMessage",
  "viewOnceMessage",
  "viewOnceMessageV2",
  "viewOnceMessageV2Extension",
  "documentWithCaptionMessage",
  "editedMessage",
  "deviceSentMessage",
];

const MEDIA: Record<string, MessageType> = {
  imageMessage: "image",
  videoMessage: "video",
  ptvMessage: "video",
  audioMessage: "audio",
  documentMessage: "document",
  stickerMessage: "sticker",
};

const INTERACTIVE_REPLIES = [
  "listResponseMessage",
  "buttonsResponseMessage",
  "templateButtonReplyMessage",
  "interactiveResponseMessage",
];

/** Content that changes another message or the chat, rather than being a message of its own. */
const NOT_MESSAGES = new Set([
  "protocolMessage",
  "pollUpdateMessage",
  "encReactionMessage",
  "encEventResponseMessage",
  "secretEncryptedMessage",
  "pinInChatMessage",
  "keepInChatMessage",
]);

type Content = Pick<
  MessageEvent,
  "message_type" | "body" | "media" | "location" | "reply_to_provider_id" | "provider_type"
>;

type ReadContent =
  | { kind: "message"; content: Content }
  | { kind: "reaction"; target: string; emoji: string }
  | { kind: "skip"; reason: string };

function unwrap(message: Json): Json {
  let inner = message;
  for (let depth = 0; depth < 5; depth++) {
    const wrapper = WRAPPERS.map((name) => record(record(inner[name])?.message)).find(Boolean);
    if (!wrapper) break;
    inner = wrapper;
  }
  return inner;
}

/** Baileys' getContentType: the first key that is `conversation` or names a message. */
function contentType(message: Json): string | undefined {
  return Object.keys(message).find((k) =>
    (k === "conversation" || k.includes("Message")) && k !== "senderKeyDistributionMessage"
  );
}

/** The text a person wrote: the message text or a media caption. */
export function textOf(message: Json | undefined): string | undefined {
  if (!message) return undefined;
  const inner = unwrap(message);
  const type = contentType(inner);
  if (type === "conversation") return str(inner.conversation);
  const content = type ? record(inner[type]) : undefined;
  return str(content?.text) ?? str(content?.caption);
}

export function readContent(message: Json, hint: string | undefined): ReadContent {
  const inner = unwrap(message);
  const type = contentType(inner);
  if (!type) return asMessage({ message_type: "unsupported", provider_type: hint ?? "unknown" });
  if (NOT_MESSAGES.has(type)) {
    return { kind: "skip", reason: `${type} changes another message; it is not one` };
  }
  const content = record(inner[type]) ?? {};
  const reply_to_provider_id = nonEmpty(record(content.contextInfo)?.stanzaId);

  if (type === "conversation") {
    return asMessage({ message_type: "text", body: str(inner.conversation) ?? "" });
  }
  if (type === "extendedTextMessage") {
    return asMessage({ message_type: "text", body: str(content.text) ?? "", reply_to_provider_id });
  }
  if (type === "reactionMessage") {
    const target = nonEmpty(record(content.key)?.id);
    return target
      ? { kind: "reaction", target, emoji: str(content.text) ?? "" }
      : { kind: "skip", reason: "reaction without the id of the message it reacts to" };
  }
  if (MEDIA[type]) {
    return asMessage({
      message_type: MEDIA[type],
      media: media(type, content, message),
      reply_to_provider_id,
    });
  }
  if (type === "locationMessage" || type === "liveLocationMessage") {
    const latitude = num(content.degreesLatitude);
    const longitude = num(content.degreesLongitude);
    if (latitude === undefined || longitude === undefined) {
      return asMessage({ message_type: "unsupported", provider_type: type });
    }
    const location = defined({
      latitude,
      longitude,
      name: nonEmpty(content.name),
      address: nonEmpty(content.address),
    });
    return asMessage({ message_type: "location", location, reply_to_provider_id });
  }
  if (type === "contactMessage" || type === "contactsArrayMessage") {
    const cards = type === "contactMessage" ? [content] : records(content.contacts);
    return asMessage({
      message_type: "contacts",
      body: cards.map(describeCard).join("\n"),
      reply_to_provider_id,
    });
  }
  if (INTERACTIVE_REPLIES.includes(type)) {
    return asMessage({ message_type: "interactive", body: interactiveReply(content), reply_to_provider_id });
  }
  return asMessage({ message_type: "unsupported", provider_type: type, reply_to_provider_id });
}

const asMessage = (content: Content): ReadContent => ({ kind: "message", content: defined(content) });

function media(type: string, content: Json, outer: Json): MediaInfo {
  return defined({
    mime_type: nonEmpty(content.mimetype),
    url: nonEmpty(outer.mediaUrl),
    file_name: type === "documentMessage" ? nonEmpty(content.fileName) ?? nonEmpty(content.title) : undefined,
    size_bytes: int(content.fileLength) ?? inlineSize(outer.base64),
    sha256: base64Bytes(content.fileSha256),
    caption: nonEmpty(content.caption),
    duration: int(content.seconds),
    voice: type === "audioMessage" ? content.ptt === true : undefined,
  });
}

/**
 * Size of the file Evolution inlined as base64 (webhook `base64: true`), or the size `redactEvolutionBody` left
 * in its place; the bytes themselves never enter an event.
 */
function inlineSize(v: unknown): number | undefined {
  return typeof v === "string" ? base64Size(v) : int(record(v)?.omitted_bytes);
}

/** A shared contact card as a line an agent can read: "Name (+55 11 98888-7777)". */
function describeCard(card: Json): string {
  const phones = [...(str(card.vcard) ?? "").matchAll(/^TEL[^:\n]*:(.+)$/gim)].map((m) => m[1].trim());
  const name = nonEmpty(card.displayName) ?? "";
  return phones.length ? `${name} (${phones.join(", ")})`.trim() : name;
}

function interactiveReply(content: Json): string | undefined {
  return nonEmpty(content.selectedDisplayText) ??
    nonEmpty(content.title) ??
    nonEmpty(record(content.body)?.text) ??
    nonEmpty(content.selectedButtonId) ??
    nonEmpty(content.selectedId) ??
    nonEmpty(record(content.singleSelectReply)?.selectedRowId);
}
