// The one entry from a provider's webhook body to unified inbound events (see inbound.ts). Total by design:
// anything a provider may legitimately send becomes an event or an ignored entry with its reason; only a
// body no provider could ever send throws InvalidPayload (400, so it is not redelivered).
import { record } from "./providers/fields.ts";
import { normaliseCloud } from "./providers/cloud.ts";
import { normaliseEvolution } from "./providers/evolution.ts";
import { InvalidPayload, type Normalised, type NormaliseOptions } from "./providers/result.ts";

export { InvalidPayload };
export type { IgnoredEvent, Normalised, NormalisedEvent, NormaliseOptions } from "./providers/result.ts";

export type Provider = "evolution" | "cloud";

export function normalise(provider: Provider, body: unknown, options: NormaliseOptions = {}): Normalised {
  const envelope = record(body);
  if (!envelope) throw new InvalidPayload("The webhook body is not a JSON object.");
  return provider === "evolution" ? normaliseEvolution(envelope, options) : normaliseCloud(envelope, options);
}

const utf8 = new TextDecoder();

/**
 * JSON may carry U+0000 (as `\u0000`), which Postgres text and jsonb cannot hold: such an event could never be
 * stored and its provider would redeliver it forever. The character is dropped from names and values.
 */
function withoutNul(_key: string, value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\0", "");
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (!entries.some(([k]) => k.includes("\0"))) return value;
  return Object.fromEntries(entries.map(([k, v]) => [k.replaceAll("\0", ""), v]));
}

/** The raw body as JSON; bytes that are not JSON can never become valid, so they are an InvalidPayload. */
export function parseWebhookJson(raw: Uint8Array): unknown {
  const text = utf8.decode(raw);
  try {
    // The reviver only when the escape is there: it costs a call per value.
    return text.includes("\\u0000") ? JSON.parse(text, withoutNul) : JSON.parse(text);
  } catch {
    throw new InvalidPayload("The webhook body is not JSON.");
  }
}
