// Meta WhatsApp Cloud API webhooks → unified inbound events (whatsapp-formats §2): the GET handshake, and
// POST bodies where every entry, change, message and status is its own event.
import type { ContactRef, DeliveryStatus, InboundEvent, MessageEvent } from "../inbound.ts";
import { sameSecret } from "../signature.ts";
import { defined, isoFromSeconds, type Json, nonEmpty, num, record, records, str } from "./fields.ts";
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

/** Meta's documented payload limit (webhooks overview, "payload size"); larger bodies are not Meta's. */
export const CLOUD_MAX_BODY_BYTES = 3 * 1024 * 1024;

export type HandshakeResult =
  | { ok: true; challenge: string }
  | { ok: false; reason: "not_a_subscription" | "missing_challenge" | "wrong_verify_token" };

/** Meta's verification GET: answer 200 with the raw `hub.challenge` only when the verify token matches. */
export function verifyCloudHandshake(params: URLSearchParams, verifyToken: string): HandshakeResult {
  if (params.get("hub.mode") !== "subscribe") return { ok: false, reason: "not_a_subscription" };
  const challenge = params.get("hub.challenge");
  if (!challenge) return { ok: false, reason: "missing_challenge" };
  if (!sameSecret(params.get("hub.verify_token") ?? "", verifyToken)) {
    return { ok: false, reason: "wrong_verify_token" };
  }
  return { ok: true, challenge };
}

interface Change {
  /** metadata.phone_number_id: the channel. */
  channel: string;
  value: Json;
  receivedAt: string;
}

export function normaliseCloud(body: Json, options: NormaliseOptions = {}): Normalised {
  const object = nonEmpty(body.object);
  if (!object) throw new InvalidPayload("A Cloud API webhook body needs an `object`.");
  const receivedAt = (options.receivedAt ?? new Date()).toISOString();
  const normalised: Normalised = { channel_key: "", events: [], ignored: [] };
  if (object !== "whatsapp_business_account") {
    collect(normalised, "", [ignore(`webhook object ${object} is not WhatsApp`)]);
    return normalised;
  }
  for (const entry of records(body.entry)) {
    for (const raw of records(entry.changes)) {
      const value = record(raw.value) ?? {};
      const channel = nonEmpty(record(value.metadata)?.phone_number_id) ?? "";
      normalised.channel_key ||= channel;
      collect(normalised, channel, changeOutcomes(str(raw.field), { channel, value, receivedAt }));
    }
  }
  return normalised;
}

function changeOutcomes(field: string | undefined, change: Change): Outcome[] {
  const { value } = change;
  if (field === "smb_message_echoes") {
    return records(value.message_echoes).map((m) => message(m, change, true));
  }
  if (field !== "messages") return [ignore(`webhook field ${field ?? "(none)"} is not ingested`)];
  const outcomes = [
    ...records(value.messages).map((m) => message(m, change, false)),
    ...records(value.statuses).map((s) => status(s, change)),
    ...records(value.errors).map((e) =>
      ignore(`Cloud API error ${e.code ?? "without a code"}: ${str(e.title) ?? str(e.message) ?? ""}`)
    ),
  ];
  return outcomes.length ? outcomes : [ignore("messages change without messages, statuses or errors")];
}

/** A person as Cloud names them: a wa_id, a BSUID, or (a user with a username, from 2026) only the BSUID. */
function person(phone: string | undefined, bsuid: string | undefined, name?: string): ContactRef | undefined {
  return phone || bsuid ? defined({ phone, bsuid, name }) : undefined;
}

/** The customer who wrote: `from` / `from_user_id` and the profile in `contacts` that matches them. */
function sender(m: Json, value: Json): ContactRef | undefined {
  const phone = nonEmpty(m.from);
  const bsuid = nonEmpty(m.from_user_id);
  const profile = records(value.contacts).find((c) =>
    (phone !== undefined && c.wa_id === phone) || (bsuid !== undefined && c.user_id === bsuid)
  );
  return person(
    phone ?? nonEmpty(profile?.wa_id),
    bsuid ?? nonEmpty(profile?.user_id),
    nonEmpty(record(profile?.profile)?.name),
  );
}

/** An inbound message, or (echo) one the business typed in the WhatsApp Business app (Coexistence). */
function message(m: Json, change: Change, echo: boolean): Outcome {
  const id = nonEmpty(m.id);
  if (!id) return ignore("message without id");
  const dedupe_key = dedupeKey("message", id);
  const type = nonEmpty(m.type) ?? "unknown";
  if (type === "request_welcome") {
    return ignore("request_welcome: the user opened the chat, nothing was said", dedupe_key);
  }
  const contact = echo ? person(nonEmpty(m.to), undefined) : sender(m, change.value);
  if (!contact) return ignore("the message names no wa_id or BSUID", dedupe_key);
  const group_id = nonEmpty(m.group_id);
  const ordering_key = group_id ?? personKey(contact);
  const base = { occurred_at: isoFromSeconds(m.timestamp) ?? change.receivedAt, dedupe_key };
  const payload = record(m[type]) ?? {};

  let event: InboundEvent;
  if (type === "reaction") {
    const target = nonEmpty(payload.message_id);
    if (!target) return ignore("reaction without the id of the message it reacts to", dedupe_key);
    event = {
      type: "reaction",
      ...base,
      target_provider_id: target,
      emoji: str(payload.emoji) ?? "",
      from_me: echo,
      contact,
    };
  } else if (type === "edit" || type === "revoke") {
    const target = nonEmpty(payload.original_message_id);
    if (!target) return ignore(`${type} without original_message_id`, dedupe_key);
    const body = type === "edit" ? textOf(record(payload.message)) : undefined;
    if (type === "edit" && body === undefined) return ignore("edit without text", dedupe_key);
    event = body === undefined
      ? { type: "delete", ...base, target_provider_id: target }
      : { type: "edit", ...base, target_provider_id: target, body };
  } else {
    event = defined({
      type: "message" as const,
      ...base,
      provider_message_id: id,
      from_me: echo,
      contact,
      group: group_id ? { id: group_id } : undefined,
      author: group_id ? contact : undefined,
      reply_to_provider_id: nonEmpty(record(m.context)?.id),
      ...content(type, payload, m),
    });
  }
  return { event, ordering_key };
}

type Content = Pick<MessageEvent, "message_type" | "body" | "media" | "location" | "provider_type">;

const MEDIA_TYPES = new Set(["image", "video", "audio", "document", "sticker"]);

function content(type: string, payload: Json, m: Json): Content {
  if (type === "text") return { message_type: "text", body: str(payload.body) ?? "" };
  if (MEDIA_TYPES.has(type)) {
    return {
      message_type: type as MessageEvent["message_type"],
      media: defined({
        id: nonEmpty(payload.id),
        mime_type: nonEmpty(payload.mime_type),
        url: nonEmpty(payload.url),
        file_name: nonEmpty(payload.filename),
        sha256: nonEmpty(payload.sha256),
        caption: nonEmpty(payload.caption),
        voice: type === "audio" && typeof payload.voice === "boolean" ? payload.voice : undefined,
      }),
    };
  }
  const latitude = num(payload.latitude);
  const longitude = num(payload.longitude);
  if (type === "location" && latitude !== undefined && longitude !== undefined) {
    const location = defined({
      latitude,
      longitude,
      name: nonEmpty(payload.name),
      address: nonEmpty(payload.address),
    });
    return { message_type: "location", location };
  }
  if (type === "contacts") {
    return { message_type: "contacts", body: records(m.contacts).map(describeCard).join("\n") };
  }
  if (type === "interactive") return { message_type: "interactive", body: interactiveReply(payload) };
  if (type === "button") {
    return { message_type: "interactive", body: nonEmpty(payload.text) ?? nonEmpty(payload.payload) };
  }
  return {
    message_type: "unsupported",
    provider_type: type === "unsupported" ? nonEmpty(payload.type) ?? type : type,
  };
}

/** The new text of an edit: `text.body`, or the caption of edited media. */
function textOf(message: Json | undefined): string | undefined {
  const type = nonEmpty(message?.type);
  const payload = type ? record(message?.[type]) : undefined;
  return str(payload?.body) ?? str(payload?.caption);
}

function describeCard(card: Json): string {
  const name = nonEmpty(record(card.name)?.formatted_name) ?? "";
  const phones = records(card.phones).flatMap((p) => nonEmpty(p.phone) ?? []);
  return phones.length ? `${name} (${phones.join(", ")})`.trim() : name;
}

function interactiveReply(interactive: Json): string | undefined {
  const reply = record(interactive[str(interactive.type) ?? ""]);
  return nonEmpty(reply?.title) ?? nonEmpty(reply?.body) ?? nonEmpty(reply?.name) ?? nonEmpty(reply?.id);
}

const STATUSES: Record<string, DeliveryStatus> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  played: "read",
  failed: "failed",
};

/** A receipt for a message we sent; `read` may come without `delivered`, and out of order. */
function status(s: Json, change: Change): Outcome {
  const id = nonEmpty(s.id);
  const raw = str(s.status);
  const unified = raw ? STATUSES[raw] : undefined;
  if (!id) return ignore("status without id");
  if (!unified) return ignore(`unknown message status ${raw}`, dedupeKey("status", id, raw ?? ""));
  const group = s.recipient_type === "group";
  // In a group the recipient_id is the group, not a person.
  const recipient = group ? undefined : person(nonEmpty(s.recipient_id), nonEmpty(s.recipient_user_id));
  const error = records(s.errors)[0];
  return {
    event: defined({
      type: "status" as const,
      occurred_at: isoFromSeconds(s.timestamp) ?? change.receivedAt,
      dedupe_key: dedupeKey("status", id, unified),
      provider_message_id: id,
      status: unified,
      error: error && defined({
        code: error.code === undefined ? undefined : String(error.code),
        title: nonEmpty(error.title),
        detail: nonEmpty(record(error.error_data)?.details) ?? nonEmpty(error.message),
      }),
      contact: recipient,
      client_reference: nonEmpty(s.biz_opaque_callback_data),
    }),
    ordering_key: (group ? nonEmpty(s.recipient_id) : recipient && personKey(recipient)) ?? id,
  };
}
