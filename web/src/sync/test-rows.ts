// Realistic rows for the sync logic's tests, shaped like the database's.
import type { Conversation, Message } from "../lib/types";

let n = 0;

export function message(over: Partial<Message> = {}): Message {
  n++;
  return {
    id: `m${n}`,
    tenant_id: "t",
    conversation_id: "c",
    channel_id: "ch",
    seq: n,
    direction: "outbound",
    type: "text",
    body: `hello ${n}`,
    media: null,
    location: null,
    reply_to_message_id: null,
    reply_to_provider_id: null,
    author_contact_id: null,
    author_name: null,
    sender_id: "u1",
    status: "pending",
    sent_at: null,
    delivered_at: null,
    read_at: null,
    failed_at: null,
    error: null,
    provider_message_id: null,
    client_id: null,
    reactions: {},
    edited_at: null,
    deleted_at: null,
    occurred_at: "2026-11-24T10:00:00Z",
    created_at: "2026-11-24T10:00:00Z",
    ...over,
  };
}

export function conversation(over: Partial<Conversation> = {}): Conversation {
  n++;
  return {
    id: `c${n}`,
    tenant_id: "t",
    channel_id: "ch",
    contact_id: `k${n}`,
    status: "pending",
    assignee_id: null,
    department_id: null,
    last_seq: 1,
    unread_count: 1,
    last_message_preview: "Oi",
    last_message_type: "text",
    last_message_direction: "inbound",
    last_message_at: "2026-11-24T10:00:00.000000+00:00",
    window_expires_at: null,
    closed_at: null,
    created_at: "2026-11-24T10:00:00.000000+00:00",
    updated_at: "2026-11-24T10:00:00.000000+00:00",
    contact: {
      id: `k${n}`,
      tenant_id: "t",
      name: null,
      push_name: `Cliente ${n}`,
      phone: `55119${String(n).padStart(8, "0")}`,
      lid: null,
      bsuid: null,
      group_jid: null,
    },
    channel: { id: "ch", name: "WhatsApp Vendas", provider: "evolution" },
    ...over,
  };
}
