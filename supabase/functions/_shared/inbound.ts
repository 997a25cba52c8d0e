// The unified inbound event: what every provider's webhook payload becomes before it is applied in SQL by
// `app.apply_inbound_event(channel_id, event)`. One shape for Evolution API and the Cloud API, so the database
// never needs to know which provider spoke. Field names are snake_case because they travel as jsonb.

/** Every alias one person can have; at least one of phone / lid / bsuid is set. */
export interface ContactRef {
  /** E.164 digits without "+", e.g. "5511988887777". */
  phone?: string;
  /** WhatsApp LID, e.g. "123456789012345@lid". */
  lid?: string;
  /** Cloud API business-scoped user id. */
  bsuid?: string;
  /** Profile (push) name, when the event carries one. */
  name?: string;
}

export type MessageType =
  | "text"
  | "image"
  | "audio"
  | "video"
  | "document"
  | "sticker"
  | "location"
  | "contacts"
  | "interactive"
  | "unsupported";

export interface MediaInfo {
  mime_type?: string;
  /** Provider media id (Cloud API) or a URL the stack can fetch (Evolution S3/mediaUrl). */
  id?: string;
  url?: string;
  file_name?: string;
  size_bytes?: number;
  sha256?: string;
  caption?: string;
  /** Seconds, for audio and video. */
  duration?: number;
  voice?: boolean;
}

interface Base {
  /** Provider event time, ISO 8601 UTC. */
  occurred_at: string;
  /** Stable key of this event for deduplication (see whatsapp-formats §3), unique per channel. */
  dedupe_key: string;
}

export interface MessageEvent extends Base {
  type: "message";
  provider_message_id: string;
  /** Sent by the business itself (a phone/WhatsApp Web echo or our own send): stored as outbound. */
  from_me: boolean;
  /** The customer of the conversation (for groups, the group itself: `chat`). */
  contact: ContactRef;
  /** Set for group chats: the group id and name; `author` is then who wrote the message. */
  group?: { id: string; name?: string };
  author?: ContactRef;
  message_type: MessageType;
  body?: string;
  media?: MediaInfo;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  reply_to_provider_id?: string;
  /** For "unsupported": the provider's own type name, shown to agents. */
  provider_type?: string;
}

export type DeliveryStatus = "sent" | "delivered" | "read" | "failed";

export interface StatusEvent extends Base {
  type: "status";
  provider_message_id: string;
  status: DeliveryStatus;
  error?: { code?: string; title?: string; detail?: string };
  /** The recipient, when the receipt names one (Cloud `recipient_id`). */
  contact?: ContactRef;
  /** What we sent as Cloud `biz_opaque_callback_data`: our message id, so a send whose answer was lost is linked. */
  client_reference?: string;
}

export interface ReactionEvent extends Base {
  type: "reaction";
  /** The message reacted to. */
  target_provider_id: string;
  /** Empty string removes the reaction. */
  emoji: string;
  from_me: boolean;
  contact: ContactRef;
}

export interface EditEvent extends Base {
  type: "edit";
  target_provider_id: string;
  body: string;
}

export interface DeleteEvent extends Base {
  type: "delete";
  target_provider_id: string;
}

export interface ConnectionEvent extends Base {
  type: "connection";
  state: "open" | "connecting" | "close";
  status_reason?: number | string;
}

export type InboundEvent =
  | MessageEvent
  | StatusEvent
  | ReactionEvent
  | EditEvent
  | DeleteEvent
  | ConnectionEvent;
