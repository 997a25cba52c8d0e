// The managers' figures as GET /functions/v1/ops/stats and /ops/dead-letters answer them
// (supabase/migrations/20261124140600_tenant-stats.sql and 20261124140700_dead-letter-api.sql).
export type Level = "ok" | "warning" | "critical";
export type Trend = "up" | "down" | "flat";

/** One card: the value now, the value one window earlier, and one point per minute for the last hour. */
export interface Card {
  value: number | null;
  previous: number | null;
  trend: Trend;
  level: Level;
  series: number[] | null;
}

export const queueCardNames = [
  "waiting",
  "oldest_waiting_seconds",
  "processing_rate_per_minute",
  "error_rate_5m",
  "error_rate_60m",
  "retries_scheduled",
  "dead_letters",
] as const;
export type QueueCardName = (typeof queueCardNames)[number];

export type QueueCards = Record<QueueCardName, Card> & { series_start: string };

export interface AgentLoad {
  user_id: string;
  display_name: string;
  role: "agent" | "manager" | "admin";
  open_conversations: number;
}

export interface TeamFigures {
  waiting_conversations: number;
  longest_conversation_wait_seconds: Card;
  open_conversations_per_agent: AgentLoad[];
  first_response_today: { conversations: number; median_seconds: number | null; p90_seconds: number | null };
}

export interface ChannelHealth {
  id: string;
  name: string;
  provider: "evolution" | "cloud";
  external_id: string;
  /** Evolution's connection state (open, connecting, close); null until one is reported. */
  status: string | null;
  status_reason: string | number | null;
  status_changed_at: string | null;
  last_webhook_at: string | null;
  last_webhook_error_at: string | null;
  last_webhook_error_status: number | null;
  webhook_errors_1h: number;
  last_received_at: string | null;
  last_sent_at: string | null;
  level: Level | "unknown";
}

export interface TenantStats {
  tenant_id: string;
  generated_at: string;
  queue: QueueCards;
  team: TeamFigures;
  channels: ChannelHealth[];
  thresholds: Record<string, { warning: number; critical: number }>;
}

export type DeadLetterKind = "inbound_event" | "outbound_message";
export const deadLetterKinds: DeadLetterKind[] = ["inbound_event", "outbound_message"];

/** One failed attempt, as the queue records it. */
export interface Attempt {
  at: string;
  attempt: number;
  error: string;
}

export interface DeadLetter {
  id: number;
  kind: DeadLetterKind | string;
  channel_id: string | null;
  channel_name: string | null;
  /** Outbound dead letters name the message they were sending. */
  message_id: string | null;
  provider_message_id: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  errors: Attempt[];
  /** Secrets already replaced by the server (app.redact). */
  payload: Record<string, unknown>;
  correlation_id: string | null;
  enqueued_at: string;
  failed_at: string;
  discarded_at: string | null;
  discard_reason: string | null;
}
