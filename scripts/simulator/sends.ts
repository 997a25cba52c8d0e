// What both providers' send routes share: the faults a send meets, holding an answer back, and storing an
// accepted message (with its media, so the phone page can show it).
import { json } from "../local/http.ts";
import type { SendOutcome } from "./faults.ts";
import type { Channel, ChatMessage, MessageKind, MessageMedia, SentRecord } from "./model.ts";
import type { Sim } from "./sim.ts";

/** Applies the channel's latency faults and tells which other fault, if any, decides this send. */
export async function meetFaults(sim: Sim, channel: Channel, to: string): Promise<SendOutcome | undefined> {
  const { latencyMs, outcome } = sim.faults.forSend(channel.key, to);
  if (latencyMs > 0) await sim.timers.sleep(latencyMs);
  return outcome;
}

/** A timeout fault: the answer waits `ms`, or until the simulator stops, long after the client gave up. */
export function holdAnswer(sim: Sim, fault: Extract<SendOutcome, { kind: "timeout" }>): Promise<unknown> {
  return fault.ms === undefined ? sim.timers.untilStopped() : sim.timers.sleep(fault.ms);
}

export function answer(record: SentRecord, status: number, body: unknown, error?: number | string): Response {
  record.status = status;
  if (error !== undefined) record.error = error;
  return json(body, status);
}

export interface Draft {
  kind: MessageKind;
  text: string;
  media?: MessageMedia & { bytes?: Uint8Array };
  refersTo?: string;
  callbackData?: string;
}

/** Stores an accepted outbound message; inline file bytes go to the media store for the phone page. */
export function storeOutbound(sim: Sim, channel: Channel, to: string, id: string, draft: Draft): ChatMessage {
  let media: MessageMedia | undefined;
  if (draft.media) {
    const { bytes, ...rest } = draft.media;
    const stored = bytes &&
      sim.media.put({ channel: channel.key, bytes, mimetype: rest.mimetype, fileName: rest.fileName });
    media = stored ? { ...rest, mediaId: stored.id } : rest;
  }
  return sim.phones.add({
    id,
    channel: channel.key,
    customer: to,
    direction: "out",
    kind: draft.kind,
    text: draft.text,
    ...(media ? { media } : {}),
    ...(draft.refersTo ? { refersTo: draft.refersTo } : {}),
    ...(draft.callbackData ? { callbackData: draft.callbackData } : {}),
    status: "pending",
    at: Date.now(),
  });
}

export function accepted(sim: Sim, record: SentRecord, message: ChatMessage): void {
  record.accepted = true;
  record.messageId = message.id;
  sim.log(`send ${record.path} to ${record.to} accepted as ${message.id}`);
}
