// Rows as PostgREST and the realtime broadcasts deliver them (see supabase/migrations).
export type Role = "agent" | "manager" | "admin";
export type ConversationStatus = "open" | "pending" | "closed";
export type MessageStatus = "pending" | "sent" | "delivered" | "read" | "failed";
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
  | "template"
  | "unsupported";

export interface Member {
  tenant_id: string;
  user_id: string;
  role: Role;
  display_name: string;
}

export interface Department {
  id: string;
  tenant_id: string;
  name: string;
}

export interface DepartmentMember {
  department_id: string;
  tenant_id: string;
  user_id: string;
}

export interface Channel {
  id: string;
  name: string;
  provider: "evolution" | "cloud";
  status?: string;
}

export interface Contact {
  id: string;
  tenant_id: string;
  name: string | null;
  push_name: string | null;
  phone: string | null;
  lid: string | null;
  bsuid: string | null;
  group_jid: string | null;
}

export interface ConversationRow {
  id: string;
  tenant_id: string;
  channel_id: string;
  contact_id: string;
  status: ConversationStatus;
  assignee_id: string | null;
  department_id: string | null;
  last_seq: number;
  unread_count: number;
  last_message_preview: string | null;
  last_message_type: MessageType | null;
  last_message_direction: "inbound" | "outbound" | null;
  last_message_at: string | null;
  window_expires_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A conversation as the lists show it: the row plus its contact and channel (absent in broadcast records). */
export interface Conversation extends ConversationRow {
  contact?: Contact | null;
  channel?: Pick<Channel, "id" | "name" | "provider"> | null;
}

export interface MessageMedia {
  mime_type?: string;
  id?: string;
  url?: string;
  file_name?: string;
  size_bytes?: number;
  caption?: string;
  duration?: number;
  voice?: boolean;
}

export interface Message {
  id: string;
  tenant_id: string;
  conversation_id: string;
  channel_id: string;
  seq: number;
  direction: "inbound" | "outbound";
  type: MessageType;
  body: string | null;
  media: MessageMedia | null;
  location: { latitude?: number; longitude?: number; name?: string; address?: string } | null;
  reply_to_message_id: string | null;
  reply_to_provider_id: string | null;
  author_contact_id: string | null;
  author_name: string | null;
  sender_id: string | null;
  status: MessageStatus;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  error: { code?: string | number; title?: string; detail?: string; message?: string } | null;
  provider_message_id: string | null;
  client_id: string | null;
  reactions: Record<string, string>;
  edited_at: string | null;
  deleted_at: string | null;
  occurred_at: string;
  created_at: string;
}

/** The event names, the same words as the events table's check constraint. */
export type EventType =
  | "conversation.created"
  | "conversation.updated"
  | "conversation.assigned"
  | "conversation.transferred"
  | "conversation.closed"
  | "conversation.reopened"
  | "message.created"
  | "message.updated"
  | "message.status_changed"
  | "message.edited"
  | "message.deleted"
  | "message.reacted"
  | "channel.status_changed"
  | "dead_letter.created"
  | "dead_letter.retried"
  | "dead_letter.discarded"
  | "channel.created"
  | "channel.secret_rotated"
  | "member.added"
  | "member.updated"
  | "member.removed";

/** One change, as broadcast on a topic or rebuilt from an events row during catch-up. */
export interface ChangeEvent {
  event_id: number;
  tx: number;
  type: EventType;
  tenant_id: string;
  conversation_id: string | null;
  message_id: string | null;
  channel_id: string | null;
  record: Record<string, unknown>;
}

/** A row of public.events, as `events_after` returns it. */
export interface EventRow {
  id: number;
  tx: number;
  type: EventType;
  tenant_id: string;
  conversation_id: string | null;
  message_id: string | null;
  channel_id: string | null;
  actor_id: string | null;
  payload: Record<string, unknown>;
  created_at: string;
}
