// What an integrator pastes into the provider to connect a channel: our webhook URL and how it authenticates,
// Evolution's events and a copy-ready `POST /webhook/set/{instance}` request, or the Cloud API callback URL and
// verify token. A secret appears in clear only in the answer that generated it; afterwards as a placeholder and
// its last four characters.

/** The Evolution events the webhook normalises (whatsapp-formats §1); anything else would only be ignored. */
export const EVOLUTION_WEBHOOK_EVENTS = [
  "MESSAGES_UPSERT",
  "MESSAGES_UPDATE",
  "MESSAGES_DELETE",
  "MESSAGES_EDITED",
  "SEND_MESSAGE",
  "CONNECTION_UPDATE",
];

export const SECRET_HEADER = "x-atende-secret";

export interface ChannelRow {
  id: string;
  tenant_id: string;
  provider: "evolution" | "cloud";
  external_id: string;
  name: string;
  base_url: string | null;
  waba_id: string | null;
}

export interface SecretHint {
  set: boolean;
  hint: string | null;
}

/** The generated secrets: in clear right after generation, else their hints. */
export interface ChannelSecrets {
  webhook_secret?: string | SecretHint;
  verify_token?: string | SecretHint;
}

const functionsUrl = () => `${Deno.env.get("SUPABASE_URL")}/functions/v1`;

export const webhookUrl = (channel: Pick<ChannelRow, "id" | "provider">): string =>
  `${functionsUrl()}/${
    channel.provider === "evolution" ? "webhook-evolution" : "webhook-whatsapp"
  }/${channel.id}`;

/** {value} right after generation, else {hint} (its last characters). */
function shown(secret: string | SecretHint | undefined): { value: string | null; hint: string | null } {
  return typeof secret === "string"
    ? { value: secret, hint: null }
    : { value: null, hint: secret?.hint ?? null };
}

function evolutionSetup(channel: ChannelRow, secrets: ChannelSecrets) {
  const url = webhookUrl(channel);
  const secret = shown(secrets.webhook_secret);
  const headerValue = secret.value ?? (secret.hint ? `<webhook secret ${secret.hint}>` : "<webhook secret>");
  return {
    provider: "evolution" as const,
    webhook_url: url,
    // For Evolution versions that cannot send headers with webhooks.
    webhook_url_with_secret: secret.value ? `${url}?secret=${encodeURIComponent(secret.value)}` : null,
    secret_header: { name: SECRET_HEADER, ...secret },
    events: EVOLUTION_WEBHOOK_EVENTS,
    webhook_set: {
      method: "POST",
      url: `${(channel.base_url ?? "").replace(/\/$/, "")}/webhook/set/${
        encodeURIComponent(channel.external_id)
      }`,
      headers: { "content-type": "application/json", apikey: "<Evolution API key>" },
      body: {
        webhook: {
          enabled: true,
          url,
          headers: { [SECRET_HEADER]: headerValue },
          byEvents: false,
          base64: false,
          events: EVOLUTION_WEBHOOK_EVENTS,
        },
      },
    },
  };
}

function cloudSetup(channel: ChannelRow, secrets: ChannelSecrets) {
  return {
    provider: "cloud" as const,
    callback_url: webhookUrl(channel),
    verify_token: shown(secrets.verify_token),
    // Subscribe the app to the WABA's `messages` field: messages and their statuses both arrive through it.
    webhook_fields: ["messages"],
    phone_number_id: channel.external_id,
    waba_id: channel.waba_id,
  };
}

export function channelSetup(channel: ChannelRow, secrets: ChannelSecrets) {
  return channel.provider === "evolution" ? evolutionSetup(channel, secrets) : cloudSetup(channel, secrets);
}
