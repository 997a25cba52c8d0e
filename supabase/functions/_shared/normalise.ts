// The one entry from a provider's webhook body to unified inbound events (see inbound.ts). Total by design:
// anything a provider may legitimately send becomes an event or an ignored entry with its reason; only a
// body no provider could ever send throws InvalidPayload (400, so it is not redelivered).
import { record } from "./providers/fields.ts";
import { normaliseCloud } from "./providers/cloud.ts";
import { normaliseEvolution } from "./providers/evolution.ts";
import { InvalidPayload, type Normalised, type NormaliseOptions } from "./providers/result.ts";
import { parseStorableJson } from "./storable-json.ts";

export { InvalidPayload };
export type { IgnoredEvent, Normalised, NormalisedEvent, NormaliseOptions } from "./providers/result.ts";

export type Provider = "evolution" | "cloud";

export function normalise(provider: Provider, body: unknown, options: NormaliseOptions = {}): Normalised {
  const envelope = record(body);
  if (!envelope) throw new InvalidPayload("The webhook body is not a JSON object.");
  return provider === "evolution" ? normaliseEvolution(envelope, options) : normaliseCloud(envelope, options);
}

const utf8 = new TextDecoder();

/** The raw body as JSON; bytes that are not JSON can never become valid, so they are an InvalidPayload. */
export function parseWebhookJson(raw: Uint8Array): unknown {
  const text = utf8.decode(raw);
  try {
    return parseStorableJson(text);
  } catch {
    throw new InvalidPayload("The webhook body is not JSON.");
  }
}
