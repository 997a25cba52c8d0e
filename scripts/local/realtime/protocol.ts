// The Phoenix wire formats Supabase Realtime speaks: vsn 1.0.0 (JSON objects), vsn 2.0.0 (JSON arrays, plus the
// binary user-broadcast frames: kind 3 from clients, kind 4 to clients). Mirrors
// supabase/realtime lib/realtime_web/socket/v2_serializer.ex and Phoenix's V1 JSON serializer.

export type Vsn = "1.0.0" | "2.0.0";
export const supportedVsns: readonly string[] = ["1.0.0", "2.0.0"];

/** A user broadcast as the binary frames carry it: the event and payload of `channel.send({type: "broadcast"})`. */
export interface UserBroadcast {
  userEvent: string;
  encoding: "json" | "binary";
  body: Uint8Array;
}

/** A JSON object, what Phoenix calls a map. */
export const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

export const isUserBroadcast = (v: unknown): v is UserBroadcast =>
  typeof v === "object" && v !== null && (v as UserBroadcast).body instanceof Uint8Array;

export interface Inbound {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  /** Decoded JSON, or a UserBroadcast for a kind-3 binary frame. */
  payload: unknown;
  /** Length of the whole frame, an upper bound of the payload's size. */
  size: number;
}

/** A frame that cannot be read at all; the socket is closed, as Phoenix does when its serializer raises. */
export class FrameError extends Error {}

const USER_BROADCAST_PUSH = 3;
const USER_BROADCAST = 4;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const refOf = (v: unknown): string | null => {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  throw new FrameError("refs must be strings");
};

function message(
  size: number,
  joinRef: unknown,
  ref: unknown,
  topic: unknown,
  event: unknown,
  payload: unknown,
): Inbound {
  if (typeof topic !== "string" || typeof event !== "string") {
    throw new FrameError("topic and event must be strings");
  }
  return { joinRef: refOf(joinRef), ref: refOf(ref), topic, event, payload: payload ?? {}, size };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FrameError("frame is not valid JSON");
  }
}

function decodeUserBroadcastPush(bytes: Uint8Array): Inbound {
  if (bytes.length < 7) throw new FrameError("truncated binary frame");
  const [, joinRefLen, refLen, topicLen, eventLen, metaLen, enc] = bytes;
  let at = 7;
  const take = (n: number) => {
    if (at + n > bytes.length) throw new FrameError("truncated binary frame");
    const part = bytes.subarray(at, at + n);
    at += n;
    return part;
  };
  const text = (part: Uint8Array) => {
    try {
      return strictUtf8.decode(part);
    } catch {
      throw new FrameError("binary frame header is not UTF-8");
    }
  };
  const joinRef = text(take(joinRefLen));
  const ref = text(take(refLen));
  const topic = text(take(topicLen));
  const userEvent = text(take(eventLen));
  const meta = take(metaLen);
  if (meta.length > 0) parseJson(text(meta)); // only `persist` is defined, and Realtime ignores it too
  const body = bytes.slice(at);
  if (enc !== 0 && enc !== 1) throw new FrameError("unknown payload encoding");
  const encoding = enc === 1 ? "json" : "binary";
  if (encoding === "json") parseJson(text(body));
  const payload: UserBroadcast = { userEvent, encoding, body };
  return message(bytes.length, joinRef, ref, topic, "broadcast", payload);
}

export function decodeFrame(vsn: Vsn, data: string | ArrayBuffer): Inbound {
  if (typeof data !== "string") {
    const bytes = new Uint8Array(data);
    if (vsn === "2.0.0" && bytes[0] === USER_BROADCAST_PUSH) return decodeUserBroadcastPush(bytes);
    throw new FrameError(vsn === "1.0.0" ? "vsn 1.0.0 has no binary frames" : "unknown binary frame kind");
  }
  const value = parseJson(data);
  if (vsn === "2.0.0") {
    if (!Array.isArray(value) || value.length < 5) throw new FrameError("expected a V2 array");
    const [joinRef, ref, topic, event, payload] = value;
    return message(data.length, joinRef, ref, topic, event, payload);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new FrameError("expected a V1 object");
  }
  const m = value as Record<string, unknown>;
  return message(data.length, m.join_ref, m.ref, m.topic, m.event, m.payload);
}

export interface Outbound {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** V1 sends no join_ref (Phoenix `encode_v1_fields_only`). */
export function encodeMessage(vsn: Vsn, m: Outbound): string {
  return vsn === "2.0.0"
    ? JSON.stringify([m.joinRef, m.ref, m.topic, m.event, m.payload])
    : JSON.stringify({ topic: m.topic, event: m.event, payload: m.payload, ref: m.ref });
}

/**
 * One message fanned out to many sockets, encoded at most once per protocol version. Either a Phoenix broadcast
 * (a JSON map, e.g. presence_diff or a text-frame broadcast) or a user broadcast from a binary frame, the database
 * or the HTTP API, which v2 sockets get as a kind-4 binary frame and v1 sockets as JSON when it is JSON at all.
 */
export class Fanout {
  private v1?: string | null;
  private v2?: string | Uint8Array | null;

  private constructor(
    readonly topic: string,
    private readonly map: { event: string; payload: unknown } | null,
    private readonly user: (UserBroadcast & { meta?: Record<string, unknown> }) | null,
  ) {}

  static map(topic: string, event: string, payload: unknown): Fanout {
    return new Fanout(topic, { event, payload }, null);
  }

  static user(topic: string, b: UserBroadcast, meta?: Record<string, unknown>): Fanout {
    return new Fanout(topic, null, { ...b, meta });
  }

  /** The message id Realtime puts in `meta.id`, used to skip messages a joining socket already got by replay. */
  get id(): string | undefined {
    const id = this.user?.meta?.id;
    return typeof id === "string" ? id : undefined;
  }

  frame(vsn: Vsn): string | Uint8Array | null {
    if (vsn === "1.0.0") return this.v1 === undefined ? (this.v1 = this.encodeV1()) : this.v1;
    return this.v2 === undefined ? (this.v2 = this.encodeV2()) : this.v2;
  }

  private text(event: string, payload: unknown, vsn: Vsn): string {
    return encodeMessage(vsn, { joinRef: null, ref: null, topic: this.topic, event, payload });
  }

  /** The JSON-map form of a user broadcast (`UserBroadcast.convert_to_json_broadcast`), spliced to skip a parse. */
  private userAsMap(vsn: Vsn): string | null {
    const u = this.user!;
    if (u.encoding !== "json") return null; // v1 cannot carry raw bytes; Realtime drops these for v1 too
    const body = new TextDecoder().decode(u.body);
    const meta = u.meta ? `,"meta":${JSON.stringify(u.meta)}` : "";
    const payload = `{"event":${JSON.stringify(u.userEvent)},"payload":${body},"type":"broadcast"${meta}}`;
    const head = JSON.stringify(this.topic);
    return vsn === "2.0.0"
      ? `[null,null,${head},"broadcast",${payload}]`
      : `{"topic":${head},"event":"broadcast","payload":${payload},"ref":null}`;
  }

  private encodeV1(): string | null {
    return this.map ? this.text(this.map.event, this.map.payload, "1.0.0") : this.userAsMap("1.0.0");
  }

  private encodeV2(): string | Uint8Array | null {
    if (this.map) return this.text(this.map.event, this.map.payload, "2.0.0");
    const u = this.user!;
    const topic = utf8.encode(this.topic);
    const event = utf8.encode(u.userEvent);
    const meta = u.meta ? utf8.encode(JSON.stringify(u.meta)) : new Uint8Array();
    // Header sizes are one byte each; longer fields only fit the text form, which the client reads as well.
    if (topic.length > 255 || event.length > 255 || meta.length > 255) return this.userAsMap("2.0.0");
    const out = new Uint8Array(5 + topic.length + event.length + meta.length + u.body.length);
    out.set([USER_BROADCAST, topic.length, event.length, meta.length, u.encoding === "json" ? 1 : 0]);
    let at = 5;
    for (const part of [topic, event, meta, u.body]) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
