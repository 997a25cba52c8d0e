// Evolution API v2 webhook bodies → unified inbound events (whatsapp-formats §1).
import type { ContactRef, DeliveryStatus, InboundEvent } from "../inbound.ts";
import { readContent, textOf } from "./evolution-content.ts";
import {
  base64Size,
  defined,
  digest,
  int,
  isoFromMillis,
  isoFromSeconds,
  type Json,
  nonEmpty,
  record,
  str,
} from "./fields.ts";
import { contactFromJids, isGroupJid, notAConversation } from "./jid.ts";
import {
  collect,
  dedupeKey,
  ignore,
  InvalidPayload,
  type Normalised,
  type NormaliseOptions,
  type Outcome,
  personKey,
} from "./result.ts";

/** Every `event` Evolution 2.3–2.4 puts on the wire (`Events` in src/api/types/wa.types.ts). */
export const EVOLUTION_EVENTS = [
  "application.startup",
  "instance.create",
  "instance.delete",
  "qrcode.updated",
  "connection.update",
  "status.instance",
  "messages.set",
  "messages.upsert",
  "messages.edited",
  "messages.update",
  "messages.delete",
  "send.message",
  "send.message.update",
  "contacts.set",
  "contacts.upsert",
  "contacts.update",
  "presence.update",
  "chats.set",
  "chats.update",
  "chats.upsert",
  "chats.delete",
  "groups.upsert",
  "groups.update",
  "group-participants.update",
  "call",
  "typebot.start",
  "typebot.change-status",
  "labels.edit",
  "labels.association",
  "creds.update",
  "messaging-history.set",
  "remove.instance",
  "logout.instance",
] as const;

/** The URL suffix `byEvents` webhooks append: "messages.upsert" → "messages-upsert" (webhook.controller.ts). */
export const evolutionEventPath = (event: string): string => event.replace(/[._]/g, "-").toLowerCase();

const EVENT_BY_PATH = new Map<string, string>(
  EVOLUTION_EVENTS.map((event) => [evolutionEventPath(event), event]),
);

const suffix = (path: string) => path.replace(/^\/+/, "").toLowerCase();

/** The event a `byEvents` suffix stands for ("/messages-upsert" → "messages.upsert"), if it is one. */
export const evolutionEventForPath = (path: string): string | undefined => EVENT_BY_PATH.get(suffix(path));

/**
 * Our documented limit for Evolution bodies. With `webhook.base64` on, Evolution inlines whole media files;
 * 25 MB holds any image, voice note or WhatsApp-sized video (16 MB as base64), and bigger bodies get 413.
 */
export const EVOLUTION_MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * The body as it may be stored: without `apikey` (Evolution's instance token, a credential) and with every
 * inline base64 file replaced by its size, which is all the normaliser reads from it.
 */
export function redactEvolutionBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactEvolutionBody);
  const obj = record(body);
  if (!obj) return body;
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === "apikey" || key === "api_key") continue;
    out[key] = key === "base64" && typeof value === "string"
      ? { omitted_bytes: base64Size(value) }
      : redactEvolutionBody(value);
  }
  return out;
}

interface Context {
  event: string;
  /** The instance's own JID (envelope `sender`): the author of our own group messages. */
  own?: string;
  /** The envelope's `date_time` as sent: the same on every retry of one delivery. */
  stamp?: string;
  /** When it happened, for data that carries no time of its own (receipts, deletes, connection changes). */
  at: string;
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * `date_time` is the Evolution server's local time printed with a "Z" (whatsapp-formats §1.1). Time zones sit
 * whole quarter hours from UTC, so shifting it by the quarter hours nearest to our clock recovers UTC for
 * any delivery under 7.5 minutes, keeping a late retry's original time; it is never later than receipt.
 */
export function evolutionEventTime(dateTime: unknown, receivedAt: Date): string {
  const local = typeof dateTime === "string" ? Date.parse(dateTime) : NaN;
  const received = receivedAt.getTime();
  if (Number.isNaN(local)) return receivedAt.toISOString();
  const zone = Math.round((received - local) / QUARTER_HOUR) * QUARTER_HOUR;
  return new Date(Math.min(local + zone, received)).toISOString();
}

type Handler = (data: Json, ctx: Context) => Outcome;

const HANDLERS: Record<string, Handler> = {
  "messages.upsert": message,
  "send.message": message,
  "messages.update": update,
  "messages.delete": deletion,
  "messages.edited": edited,
  "connection.update": connection,
};

export function normaliseEvolution(body: Json, options: NormaliseOptions = {}): Normalised {
  const event = nonEmpty(body.event);
  if (!event) throw new InvalidPayload("An Evolution webhook body needs an `event`.");
  if (
    options.eventPath !== undefined && evolutionEventPath(event) !== suffix(options.eventPath)
  ) {
    throw new InvalidPayload(
      `The body's event "${event}" was posted to "${options.eventPath}".`,
      "event_path_mismatch",
    );
  }
  const instance = nonEmpty(body.instance) ?? "";
  const normalised: Normalised = { channel_key: instance, events: [], ignored: [] };
  const items = Array.isArray(body.data) ? body.data : [body.data];
  const handler = HANDLERS[event];
  const ctx: Context = {
    event,
    own: str(body.sender),
    stamp: str(body.date_time),
    at: evolutionEventTime(body.date_time, options.receivedAt ?? new Date()),
  };
  collect(
    normalised,
    instance,
    items.map((item) => {
      const data = record(item);
      if (!handler) return ignore(`Evolution event ${event} is not ingested`);
      if (!instance) return ignore("the body names no instance, so no channel can take its events");
      return data ? handler(data, ctx) : ignore(`${event} data is not an object`);
    }),
  );
  return normalised;
}

/** A chat's ordering key: the group id, else the person's phone or LID. */
function chatKey(jid: unknown): string | undefined {
  if (isGroupJid(jid)) return jid;
  const person = contactFromJids([jid]);
  return person && personKey(person);
}

/** `messages.upsert` (incl. phone and WhatsApp Web echoes) and `send.message` (our own API sends). */
function message(data: Json, ctx: Context): Outcome {
  const msgKey = record(data.key);
  const id = nonEmpty(msgKey?.id);
  if (!msgKey || !id) return ignore(`${ctx.event} without key.id`);
  const dedupe_key = dedupeKey("message", id);
  const elsewhere = notAConversation(msgKey.remoteJid);
  if (elsewhere) return ignore(elsewhere, dedupe_key);
  const from_me = msgKey.fromMe === true || (ctx.event === "send.message" && msgKey.fromMe !== false);
  const chat = parties(msgKey, from_me ? undefined : nonEmpty(data.pushName), from_me ? ctx.own : undefined);
  if (!chat) return ignore("the message names no phone number or LID", dedupe_key);
  const content = record(data.message);
  if (!content) return ignore("the message has no content", dedupe_key);

  const read = readContent(content, nonEmpty(data.messageType));
  if (read.kind === "skip") return ignore(read.reason, dedupe_key);
  const base = {
    occurred_at: isoFromSeconds(data.messageTimestamp) ?? ctx.at,
    dedupe_key,
    from_me,
    contact: chat.contact,
  };
  const event: InboundEvent = read.kind === "reaction"
    ? { type: "reaction", ...base, target_provider_id: read.target, emoji: read.emoji }
    : defined({
      type: "message" as const,
      ...base,
      provider_message_id: id,
      group: chat.group,
      author: chat.group && chat.contact,
      ...read.content,
      // Evolution lifts the reply context out of the content it rewrote to `conversation`.
      reply_to_provider_id: nonEmpty(record(data.contextInfo)?.stanzaId) ?? read.content.reply_to_provider_id,
    });
  return { event, ordering_key: chat.ordering_key };
}

/**
 * Who a message is with. In a group the author comes from `participant` / `participantAlt` (or, for our own
 * messages without one, the instance's own JID); in a direct chat from every field that may hold the phone
 * or the LID, whichever Evolution version wrote them.
 */
function parties(msgKey: Json, name: string | undefined, own: string | undefined) {
  const remoteJid = msgKey.remoteJid;
  if (isGroupJid(remoteJid)) {
    const author = contactFromJids(
      [msgKey.participant, msgKey.participantAlt, msgKey.participantPn, msgKey.participantLid, own],
      name,
    );
    return author && { contact: author, group: { id: remoteJid }, ordering_key: remoteJid };
  }
  const contact = contactFromJids([remoteJid, msgKey.remoteJidAlt, msgKey.senderPn, msgKey.senderLid], name);
  return contact && { contact, group: undefined, ordering_key: personKey(contact) };
}

const STATUS_NAMES = ["ERROR", "PENDING", "SERVER_ACK", "DELIVERY_ACK", "READ", "PLAYED"];

const DELIVERY: Record<string, DeliveryStatus> = {
  SERVER_ACK: "sent",
  DELIVERY_ACK: "delivered",
  READ: "read",
  PLAYED: "read",
  ERROR: "failed",
};

/** `messages.update`: delivery receipts for the messages we sent. */
function update(data: Json, ctx: Context): Outcome {
  const id = nonEmpty(data.keyId);
  if (!id) return ignore("messages.update without keyId");
  const elsewhere = notAConversation(data.remoteJid);
  if (elsewhere) return ignore(elsewhere);
  const ordering_key = chatKey(data.remoteJid) ?? id;

  // 2.3.7 also sends edits here, without their time; messages.edited carries the same edit with it.
  if (record(data.message)) {
    return ignore("edits are taken from messages.edited, which carries their time");
  }
  if (data.pollUpdates !== undefined) return ignore("poll votes are not messages", dedupeKey("poll", id));

  const raw = typeof data.status === "number" ? STATUS_NAMES[data.status] : str(data.status);
  // Evolution writes DELETED (<= 2.3.6) or SERVER_ACK (2.3.7) when Baileys gave no status; real deletions
  // arrive as messages.delete, and an edit without its text (issue #2010) must not delete anything.
  if (raw === undefined || raw === "DELETED") return ignore("messages.update without a delivery status");
  if (raw === "PENDING") return ignore("PENDING is the state a message is stored in; it moves nothing");
  const status = DELIVERY[raw];
  if (!status) return ignore(`unknown message status ${raw}`);
  const dedupe_key = dedupeKey("status", id, status);
  // fromMe:false receipts say the business read a customer's message on its own phone.
  if (data.fromMe === false) return ignore("receipt for a message the customer sent", dedupe_key);
  const contact: ContactRef | undefined = isGroupJid(data.remoteJid)
    ? undefined
    : contactFromJids([data.remoteJid]);
  return {
    event: defined({
      type: "status" as const,
      occurred_at: ctx.at,
      dedupe_key,
      provider_message_id: id,
      status,
      contact,
    }),
    ordering_key,
  };
}

/** `messages.delete`: a revoke (the Baileys key) or our own API delete (the stored row, key nested). */
function deletion(data: Json, ctx: Context): Outcome {
  const target = record(data.key) ?? data;
  return deleteEvent(nonEmpty(target.id), target.remoteJid, ctx);
}

function deleteEvent(target: string | undefined, remoteJid: unknown, ctx: Context): Outcome {
  if (!target) return ignore(`${ctx.event} without the id of the deleted message`);
  return {
    event: {
      type: "delete",
      occurred_at: ctx.at,
      dedupe_key: dedupeKey("delete", target),
      target_provider_id: target,
    },
    ordering_key: chatKey(remoteJid) ?? target,
  };
}

const PROTOCOL_TYPES: Record<number, string> = { 0: "REVOKE", 14: "MESSAGE_EDIT" };

/**
 * `messages.edited`: the Baileys protocolMessage itself. Evolution sends every protocol message here, so
 * only MESSAGE_EDIT and REVOKE (as names or numbers) become events. Its key is the edited message's, written
 * from the sender's side, so for a customer's edit the chat may be our own number.
 */
function edited(data: Json, ctx: Context): Outcome {
  const target = record(data.key);
  const type = typeof data.type === "number"
    ? PROTOCOL_TYPES[data.type] ?? String(data.type)
    : str(data.type);
  if (type === "REVOKE") return deleteEvent(nonEmpty(target?.id), target?.remoteJid, ctx);
  if (type !== "MESSAGE_EDIT") return ignore(`protocol message ${type ?? "without a type"} is not an edit`);
  const id = nonEmpty(target?.id);
  if (!id) return ignore("edit without the id of the edited message");
  const body = textOf(record(data.editedMessage));
  if (body === undefined) return ignore("edit without text", dedupeKey("edit", id));
  const stamp = int(data.timestampMs);
  return {
    event: {
      type: "edit",
      occurred_at: isoFromMillis(stamp) ?? ctx.at,
      dedupe_key: dedupeKey("edit", id, stamp ? String(stamp) : digest(body)),
      target_provider_id: id,
      body,
    },
    ordering_key: chatKey(target?.remoteJid) ?? id,
  };
}

const CONNECTION_STATES: Record<string, "open" | "connecting" | "close"> = {
  open: "open",
  connecting: "connecting",
  close: "close",
  refused: "close",
};

/** `connection.update`: the instance's link to WhatsApp. Retries resend the same `date_time`, so it dedupes. */
function connection(data: Json, ctx: Context): Outcome {
  const raw = str(data.state);
  const state = raw ? CONNECTION_STATES[raw] : undefined;
  if (!raw || !state) return ignore(`unknown connection state ${raw}`);
  const reason = data.statusReason;
  return {
    event: defined({
      type: "connection" as const,
      occurred_at: ctx.at,
      dedupe_key: dedupeKey("connection", raw, ctx.stamp ?? ctx.at),
      state,
      status_reason: typeof reason === "number" || typeof reason === "string" ? reason : undefined,
    }),
    ordering_key: "channel",
  };
}
