// The simulator's nouns: channels (one WhatsApp number behind Evolution API or the Cloud API), customers (the
// people on the other end) and the messages between them.

/** Evolution's stored webhook row (`prisma.webhook`), as `/webhook/set` answers it. */
export interface EvolutionWebhook {
  id: string;
  url: string;
  headers: Record<string, string>;
  enabled: boolean;
  events: string[];
  webhookByEvents: boolean;
  webhookBase64: boolean;
  createdAt: string;
  updatedAt: string;
  instanceId: string;
}

export interface EvolutionChannel {
  provider: "evolution";
  /** The channel's key in the control API: the instance name. */
  key: string;
  instance: string;
  apikey: string;
  instanceId: string;
  /** The instance's own number (its `wuid` without the JID suffix). */
  number: string;
  webhook: EvolutionWebhook | null;
}

export interface CloudChannel {
  provider: "cloud";
  /** The channel's key in the control API: the phone number id. */
  key: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  accessToken: string;
  appSecret: string;
  webhookUrl: string;
  wabaId: string;
}

export type Channel = EvolutionChannel | CloudChannel;

export interface Customer {
  channel: string;
  phone: string;
  name: string;
  /** When the customer last wrote (ms): opens the Cloud API's 24 h customer-service window. */
  lastInboundAt: number | null;
}

/** One status scale for both providers: Evolution's SERVER_ACK / DELIVERY_ACK / READ map to sent / delivered / read. */
export type MessageStatus = "pending" | "sent" | "delivered" | "read" | "failed";

export type MessageKind =
  | "text"
  | "image"
  | "audio"
  | "video"
  | "document"
  | "sticker"
  | "reaction"
  | "template"
  | "interactive"
  | "location"
  | "contacts";

export interface MessageMedia {
  mimetype: string;
  fileName?: string;
  /** Where the phone page can show it from: a link the sender gave, or a stored media id. */
  link?: string;
  mediaId?: string;
  voice?: boolean;
}

export interface ProviderError {
  code: number;
  title: string;
  details: string;
}

export interface ChatMessage {
  /** The provider's message id: Evolution's `key.id` or the Cloud API's wamid. */
  id: string;
  channel: string;
  customer: string;
  /** "in" = the customer wrote it, "out" = the business (our product) sent it. */
  direction: "in" | "out";
  kind: MessageKind;
  /** Text, caption, template name or reaction emoji: what the phone page shows. */
  text: string;
  media?: MessageMedia;
  /** The message a reaction points at, or the one a reply quotes. */
  refersTo?: string;
  status: MessageStatus;
  error?: ProviderError;
  at: number;
  /** Evolution's database row id, reported as `messageId` in `messages.update`. */
  rowId?: string;
  /** Echoed in the Cloud API's statuses. */
  callbackData?: string;
}

export type ReadOn = "delivery" | "view" | "never";

export interface RetryPolicy {
  /** Total delivery attempts per webhook, the first included (Evolution's WEBHOOK_RETRY_MAX_ATTEMPTS is 10). */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface Settings {
  /** Pause before each receipt step (sent, delivered, read). */
  receiptDelayMs: number;
  /** When customers read what agents send: on delivery, when the phone page shows it, or never. */
  readOn: ReadOn;
  /** Per-attempt timeout of a webhook POST (Evolution's default is 30 s). */
  webhookTimeoutMs: number;
  retry: RetryPolicy;
}

/** A send request the simulator received from our product, whatever became of it. */
export interface SentRecord {
  seq: number;
  channel: string;
  provider: Channel["provider"];
  path: string;
  to: string;
  body: unknown;
  at: number;
  accepted: boolean;
  /** The provider message id of an accepted send. */
  messageId?: string;
  /** HTTP status answered (null while the answer is held back by a timeout fault). */
  status: number | null;
  /** The provider error code of a rejected send (Graph `code`, or Evolution's HTTP status). */
  error?: number | string;
}

/** One attempt to POST a webhook to our product. */
export interface DeliveryRecord {
  delivery: number;
  attempt: number;
  channel: string;
  label: string;
  url: string;
  status: number | null;
  error?: string;
  ms: number;
  at: number;
}
