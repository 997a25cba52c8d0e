// What a provider normaliser hands back: unified events with the key that orders them, the events it chose
// not to ingest (with why), and the one error for bodies that can never be valid.
import { HttpError } from "../errors.ts";
import type { ContactRef, InboundEvent } from "../inbound.ts";

export interface NormalisedEvent {
  event: InboundEvent;
  /** The chat the event belongs to (phone, LID, BSUID or group id): one chat's events are applied in order. */
  ordering_key: string;
  /** The channel this event arrived on: the Evolution instance or the Cloud phone_number_id. */
  channel_key: string;
}

export interface IgnoredEvent {
  reason: string;
  dedupe_key?: string;
  channel_key: string;
}

export interface Normalised {
  /** The body's channel; a Cloud body naming several numbers carries each one on its events. */
  channel_key: string;
  events: NormalisedEvent[];
  ignored: IgnoredEvent[];
}

export interface NormaliseOptions {
  /** When the webhook received the body; the event time for provider events that carry none. */
  receivedAt?: Date;
  /** Evolution `byEvents` URL suffix the body was posted to (e.g. "messages-upsert"), checked against `event`. */
  eventPath?: string;
}

export type InvalidPayloadCode = "invalid_payload" | "event_path_mismatch";

/** A body that no provider can ever send validly: answered 400 so it is not redelivered. */
export class InvalidPayload extends HttpError {
  constructor(message: string, code: InvalidPayloadCode = "invalid_payload") {
    super(400, code, message);
  }
}

/** One provider item's fate, before the channel is attached. */
export type Outcome =
  | { event: InboundEvent; ordering_key: string }
  | { ignored: string; dedupe_key?: string };

export const ignore = (reason: string, dedupe_key?: string): Outcome =>
  dedupe_key === undefined ? { ignored: reason } : { ignored: reason, dedupe_key };

export function collect(normalised: Normalised, channel_key: string, outcomes: Outcome[]): void {
  for (const outcome of outcomes) {
    if ("event" in outcome) normalised.events.push({ ...outcome, channel_key });
    else {
      const { ignored: reason, dedupe_key } = outcome;
      normalised.ignored.push(
        dedupe_key === undefined ? { reason, channel_key } : { reason, dedupe_key, channel_key },
      );
    }
  }
}

/** Dedupe keys are unique within the channel (whatsapp-formats §3); the queue prefixes the channel's id. */
export const dedupeKey = (...parts: string[]): string => parts.join(":");

/** A person's chat across providers: the phone when known, else the LID, else the BSUID. */
export const personKey = (contact: ContactRef): string => contact.phone ?? contact.lid ?? contact.bsuid ?? "";
