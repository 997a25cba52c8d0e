// What the channels and members functions answer (supabase/functions/channels, members, _shared/channel-setup.ts).
import type { Role } from "../../lib/types";

export type Provider = "evolution" | "cloud";

/** A row of public.channels: safe for every member to read; its secrets live elsewhere. */
export interface ChannelRecord {
  id: string;
  tenant_id: string;
  provider: Provider;
  external_id: string;
  name: string;
  base_url: string | null;
  waba_id: string | null;
  default_department_id: string | null;
  status: "unknown" | "open" | "connecting" | "close";
  status_reason: string | null;
  status_changed_at: string | null;
  created_at: string;
}

/** Enough of a secret to recognise it ("…a1b2"), never enough to use it. */
export interface SecretHint {
  set: boolean;
  hint: string | null;
}

export type SecretName = "webhook_secret" | "api_key" | "app_secret" | "access_token" | "verify_token";

/** A secret as the setup shows it: in clear only in the answer that generated it. */
export interface ShownSecret {
  value: string | null;
  hint: string | null;
}

export interface WebhookSetRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface EvolutionSetup {
  provider: "evolution";
  webhook_url: string;
  webhook_url_with_secret: string | null;
  secret_header: ShownSecret & { name: string };
  events: string[];
  webhook_set: WebhookSetRequest;
}

export interface CloudSetup {
  provider: "cloud";
  callback_url: string;
  verify_token: ShownSecret;
  webhook_fields: string[];
  phone_number_id: string;
  waba_id: string | null;
}

export type ChannelSetup = EvolutionSetup | CloudSetup;

/** GET /channels/<id>: the channel, its secrets masked, and the setup with placeholders for them. */
export interface ChannelDetail {
  channel: ChannelRecord;
  secrets: Record<SecretName, SecretHint> & { previous_secret_valid_until: string | null };
  setup: ChannelSetup;
}

/** POST /channels: the generated secrets in clear, this once. */
export interface CreatedChannel {
  channel: ChannelRecord;
  secrets: Partial<Record<"webhook_secret" | "verify_token", string>>;
  setup: ChannelSetup;
}

/** POST /channels/<id>/secrets: a generated secret comes back in clear with the setup to send again. */
export interface RotatedSecret {
  secret: SecretName;
  value?: string;
  previous_valid_until?: string;
  setup?: ChannelSetup;
}

export interface TestEvent {
  via: "simulator" | "webhook";
  provider_message_id: string;
  phone: string;
  webhook_status?: number;
  webhook_response?: unknown;
}

export type TestEventStage =
  | { stage: "sent" | "received" | "dead_lettered" }
  | { stage: "applied"; message_id: string; conversation_id: string };

/** A member as the members function lists them: with their sign-in email and departments. */
export interface TeamMember {
  tenant_id: string;
  user_id: string;
  role: Role;
  display_name: string;
  email: string | null;
  created_at: string;
  department_ids: string[];
}

export interface AddedMember {
  member: TeamMember;
  created_user: boolean;
  temporary_password?: string;
}
