// A customer writes to a channel: the message lands on their phone's chat, renews the Cloud API's 24 h window,
// and reaches our product as the provider's webhook (Evolution `messages.upsert`, Cloud API `messages`).
import { z } from "npm:zod@4.6.7";
import { cloudInbound } from "./cloud-events.ts";
import { fromBase64, phoneMessageId, wamid } from "./encoding.ts";
import { evolutionInbound } from "./evolution-events.ts";
import { MEDIA_KINDS, sampleMedia, type StoredMedia } from "./media.ts";
import type { Channel, ChatMessage, MessageKind } from "./model.ts";
import type { Sim } from "./sim.ts";

export const customerMessage = z.object({
  type: z.enum(["text", "image", "audio", "video", "document", "sticker", "reaction"]).default("text"),
  /** The text, a media caption, or a reaction's emoji (empty removes the reaction). */
  text: z.string().default(""),
  /** Reactions: the message reacted to. Other types: the message this one replies to. */
  refersTo: z.string().optional(),
  /** The customer's profile name from now on. */
  name: z.string().min(1).optional(),
  /** A media file as base64; a small sample file of the type is used when absent. */
  media: z.object({ base64: z.string(), mimetype: z.string(), fileName: z.string().optional() }).optional(),
  /** Audio only: a voice note (PTT) rather than an audio file. */
  voice: z.boolean().default(true),
}).strict().refine((m) => m.type !== "reaction" || m.refersTo, { message: "a reaction needs refersTo" })
  .refine((m) => m.type !== "text" || m.text.trim(), { message: "a text message needs text" });

export type CustomerMessage = z.infer<typeof customerMessage>;

export class BadMedia extends Error {}

export function customerSends(
  sim: Sim,
  channel: Channel,
  phone: string,
  input: CustomerMessage,
): ChatMessage {
  const customer = sim.phones.customer(channel.key, phone);
  if (input.name) customer.name = input.name;
  const kind = input.type as MessageKind;
  const id = channel.provider === "evolution" ? phoneMessageId() : wamid(phone, "in");
  const media = MEDIA_KINDS.includes(kind) ? storeMedia(sim, channel, id, kind, input) : undefined;
  const message = sim.phones.add({
    id,
    channel: channel.key,
    customer: phone,
    direction: "in",
    kind,
    text: input.text,
    ...(media
      ? {
        media: {
          mimetype: media.mimetype,
          mediaId: media.id,
          ...(media.fileName ? { fileName: media.fileName } : {}),
          ...(kind === "audio" ? { voice: input.voice } : {}),
        },
      }
      : {}),
    ...(input.refersTo ? { refersTo: input.refersTo } : {}),
    status: "sent",
    at: Date.now(),
  });
  customer.lastInboundAt = message.at;
  if (channel.provider === "evolution") evolutionInbound(sim, channel, message, customer.name, media);
  else cloudInbound(sim, channel, message, customer.name, media);
  sim.log(`customer ${phone} → ${channel.key}: ${kind} ${id}`);
  return message;
}

/** Evolution serves a message's media by the message id; the Cloud API gives it its own media id. */
function storeMedia(
  sim: Sim,
  channel: Channel,
  id: string,
  kind: MessageKind,
  input: CustomerMessage,
): StoredMedia {
  const given = input.media;
  const bytes = given ? fromBase64(given.base64) : null;
  if (given && !bytes) throw new BadMedia("media.base64 is not base64");
  const file = given && bytes
    ? { bytes, mimetype: given.mimetype, fileName: given.fileName }
    : sampleMedia(kind);
  return sim.media.put({
    ...(channel.provider === "evolution" ? { id } : {}),
    channel: channel.key,
    bytes: file.bytes,
    mimetype: file.mimetype,
    ...(file.fileName ? { fileName: file.fileName } : {}),
  });
}
