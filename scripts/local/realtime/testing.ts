// Helpers for the Realtime tests (scripts/local/tests/realtime-*.test.ts): supabase-js clients acting as users,
// joins that report the server's reason, inboxes with deadlines, a raw protocol socket, and seeding SQL.
import { createClient, type RealtimeChannel, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.1";
import postgres from "npm:postgres@3.4.9";
import type { StackConfig } from "../config.ts";
import { signJwt } from "../jwt.ts";
import { eventually, waitFor } from "../../test/wait.ts";

export type Vsn = "1.0.0" | "2.0.0";
export const bothVsns: Vsn[] = ["1.0.0", "2.0.0"];

/** supabase-js keeps a few timers alive for a moment after a socket closes; the sanitizers would flag them. */
export function realtimeTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}

export interface ClientOptions {
  vsn?: Vsn;
  /** A user's JWT, or a function returning the current one; without it the client uses the API key. */
  token?: string | (() => string);
  heartbeatIntervalMs?: number;
}

export type OpenClient = (opts?: ClientOptions) => Promise<SupabaseClient>;

/**
 * Runs fn with a factory of supabase-js clients, all disconnected afterwards, and a connection pool to the
 * stack's database for seeding and for sending from SQL (it connects on first use).
 */
export async function withClients(
  cfg: StackConfig,
  fn: (open: OpenClient, sql: postgres.Sql) => Promise<void>,
): Promise<void> {
  const opened: SupabaseClient[] = [];
  const sql = postgres(cfg.dbUrl, { max: 3, onnotice: () => {} });
  const open: OpenClient = async (opts = {}) => {
    const token = opts.token;
    const client = createClient(cfg.apiUrl, cfg.publishableKey, {
      realtime: { vsn: opts.vsn ?? "2.0.0", heartbeatIntervalMs: opts.heartbeatIntervalMs },
      ...(token ? { accessToken: () => Promise.resolve(typeof token === "string" ? token : token()) } : {}),
    });
    opened.push(client);
    // supabase-js applies the token a few microtasks later; a channel subscribed before that joins without it.
    if (token) await client.realtime.setAuth();
    return client;
  };
  try {
    await fn(open, sql);
  } finally {
    for (const client of opened) {
      for (const channel of client.getChannels()) channel.unsubscribe(1);
      client.realtime.disconnect();
    }
    await sql.end();
  }
}

export function userToken(
  cfg: StackConfig,
  sub: string = crypto.randomUUID(),
  ttlSeconds = 600,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    { sub, role: "authenticated", aud: "authenticated", iat: now, exp: now + ttlSeconds },
    cfg.jwtSecret,
  );
}

export interface JoinOutcome {
  status: string;
  message?: string;
}

/** Subscribes and resolves with the first outcome: SUBSCRIBED, CHANNEL_ERROR (with the server's reason) … */
export function join(channel: RealtimeChannel): Promise<JoinOutcome> {
  return eventually(`a join reply on ${channel.topic}`, (resolve) => {
    channel.subscribe((status, err) => resolve({ status, message: err?.message }));
  });
}

export async function joined(channel: RealtimeChannel): Promise<RealtimeChannel> {
  const outcome = await join(channel);
  if (outcome.status !== "SUBSCRIBED") {
    throw new Error(`${channel.topic}: expected SUBSCRIBED, got ${outcome.status} ${outcome.message ?? ""}`);
  }
  return channel;
}

/** Collects what a listener receives, and waits for what a test expects to arrive. */
export class Inbox<T> {
  readonly items: T[] = [];
  readonly add = (item: T): void => {
    this.items.push(item);
  };

  waitFor(what: string, done: (items: T[]) => boolean, timeoutMs = 10_000): Promise<T[]> {
    return waitFor(what, () => done(this.items) && this.items, timeoutMs);
  }

  async next(what: string, match: (item: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const items = await this.waitFor(what, (all) => all.some(match), timeoutMs);
    return items.find(match)!;
  }
}

export interface Broadcast {
  type: string;
  event: string;
  payload: Record<string, unknown>;
  meta?: { id?: string; replayed?: boolean };
}

/** Makes these users members of a fresh test tenant; returns its topic, `tenant:<name>`. */
export async function tenantWith(sql: postgres.Sql, userIds: string[]): Promise<string> {
  const tenant = `acme-${crypto.randomUUID().slice(0, 8)}`;
  for (const id of userIds) {
    await sql`insert into public.realtime_test_members (user_id, tenant) values (${id}, ${tenant})`;
  }
  return `tenant:${tenant}`;
}

export type Frame = [string | null, string | null, string, string, Record<string, unknown>];

/** A WebSocket speaking the protocol by hand, for frames supabase-js never sends. */
export class RawSocket {
  /** Every message received: parsed JSON (arrays on vsn 2.0.0, objects on 1.0.0) or binary frames. */
  readonly received: unknown[] = [];
  readonly closed: Promise<CloseEvent>;
  private ref = 0;

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => {
      this.received.push(typeof e.data === "string" ? JSON.parse(e.data) : new Uint8Array(e.data));
    };
    this.closed = new Promise((resolve) => ws.addEventListener("close", resolve));
  }

  static async open(cfg: StackConfig, vsn: Vsn = "2.0.0"): Promise<RawSocket> {
    const url = `${
      cfg.apiUrl.replace(/^http/, "ws")
    }/realtime/v1/websocket?apikey=${cfg.publishableKey}&vsn=${vsn}`;
    const ws = new WebSocket(url);
    const socket = new RawSocket(ws);
    await eventually<void>("the raw socket to open", (resolve) => {
      ws.addEventListener("open", () => resolve());
    });
    return socket;
  }

  nextRef(): string {
    return String(++this.ref);
  }

  send(frame: string | Uint8Array | Frame): void {
    this.ws.send(Array.isArray(frame) ? JSON.stringify(frame) : frame);
  }

  /** Sends a vsn 2.0.0 message and waits for the phx_reply to it. */
  async call(topic: string, event: string, payload: Record<string, unknown>, joinRef: string | null = null) {
    const ref = this.nextRef();
    this.send([joinRef, ref, topic, event, payload]);
    const reply = await this.next(
      `a reply to ${event} on ${topic}`,
      (f) => f[1] === ref && f[3] === "phx_reply",
    );
    return reply[4] as { status: string; response: Record<string, unknown> };
  }

  /** The first vsn 2.0.0 message matching. */
  next(what: string, match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    return waitFor(
      what,
      () => this.received.find((f): f is Frame => Array.isArray(f) && match(f as Frame)),
      timeoutMs,
    );
  }

  /** The first vsn 1.0.0 message matching. */
  nextObject(what: string, match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const isObject = (m: unknown): m is Record<string, unknown> =>
      typeof m === "object" && m !== null && !Array.isArray(m) && !(m instanceof Uint8Array);
    return waitFor(what, () => this.received.find((m) => isObject(m) && match(m)) as Record<string, unknown>);
  }

  close(): Promise<CloseEvent> {
    this.ws.close();
    return this.closed;
  }
}
