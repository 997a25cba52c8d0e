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
 * JSON may carry what Postgres text and jsonb cannot hold, escaped: U+0000, and a lone UTF-16 surrogate (half of an
 * emoji). Such an event could never be stored and its provider would redeliver it forever, so U+0000 is dropped and
 * a lone surrogate becomes U+FFFD, in names and values alike.
 */
const storable = (text: string) => text.replaceAll("\0", "").toWellFormed();

function storableJson(_key: string, value: unknown): unknown {
  if (typeof value === "string") return storable(value);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (entries.every(([k]) => k === storable(k))) return value;
  return Object.fromEntries(entries.map(([k, v]) => [storable(k), v]));
}

/** `\u0000` or a surrogate's escape (Meta escapes every emoji so): only then is the reviver worth its cost. */
const UNSTORABLE_ESCAPE = /\\u(0000|d[89a-f])/i;

/** The raw body as JSON; bytes that are not JSON can never become valid, so they are an InvalidPayload. */
export function parseWebhookJson(raw: Uint8Array): unknown {
  const text = utf8.decode(raw);
  try {
    return UNSTORABLE_ESCAPE.test(text) ? JSON.parse(text, storableJson) : JSON.parse(text);
  } catch {
    throw new InvalidPayload("The webhook body is not JSON.");
  }
}
