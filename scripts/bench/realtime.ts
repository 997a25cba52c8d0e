// Realtime benchmark: broadcast latency and throughput with 1,000 sockets on one topic and across 100 topics,
// and Broadcast from Database latency and throughput from commit to client. Each fan-out figure is printed beside
// a baseline from the same run: a plain WebSocket relay (no protocol, no checks) serving the same sockets from a
// process of its own, the floor for this machine.
//
// Starts its own stack on port base 55290 (Realtime's per-socket rate limit raised so senders can saturate it),
// or uses the stack at ATENDE_API_PORT / ATENDE_DB_PORT when given. Clients speak vsn 2.0.0 with raw WebSockets,
// the frames supabase-js ≥ 2.91 sends, so 1,000 of them fit in this process.
import postgres from "npm:postgres@3.4.9";
import { loadConfig, type StackConfig } from "../local/config.ts";
import { spawnStack } from "../test/spawn-stack.ts";

const SOCKETS = 1000;
const TOPICS = 100;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Sample {
  latencies: number[];
  received: number;
  lastAt: number;
}

const sample = (): Sample => ({ latencies: [], received: 0, lastAt: 0 });

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const rate = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** A user broadcast push (kind 3) exactly as supabase-js encodes `channel.send({type: "broadcast"})`. */
function userBroadcastPush(joinRef: string, topic: string, event: string, payload: unknown): Uint8Array {
  const parts = [joinRef, "", topic, event].map((s) => encoder.encode(s));
  const body = encoder.encode(JSON.stringify(payload));
  const out = new Uint8Array(7 + parts.reduce((n, p) => n + p.length, 0) + body.length);
  out.set([3, parts[0].length, parts[1].length, parts[2].length, parts[3].length, 0, 1]);
  let at = 7;
  for (const p of [...parts, body]) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const T_PREFIX = encoder.encode('{"t":');

/**
 * The send time a broadcast carries in `t`. Payloads the benchmark sends start with `{"t":`, read without
 * JSON.parse so the 1,000 receivers in this process cost as little as possible; database payloads (jsonb
 * reorders keys) are parsed.
 */
function sentAt(data: string | ArrayBuffer): number | null {
  if (typeof data === "string") {
    const [, , , event, payload] = JSON.parse(data);
    return event === "broadcast" && typeof payload.payload?.t === "number" ? payload.payload.t : null;
  }
  const bytes = new Uint8Array(data);
  if (bytes[0] !== 4) return null;
  const body = bytes.subarray(5 + bytes[1] + bytes[2] + bytes[3]);
  if (!T_PREFIX.every((b, i) => body[i] === b)) return JSON.parse(decoder.decode(body)).t ?? null;
  let end = T_PREFIX.length;
  while (end < body.length && body[end] !== 0x2c && body[end] !== 0x7d) end++; // up to `,` or `}`
  return Number(decoder.decode(body.subarray(T_PREFIX.length, end)));
}

/** One raw vsn 2.0.0 socket: joins topics, sends broadcasts, records when broadcasts arrive. */
class Client {
  private ref = 0;
  private replies = new Map<string, (payload: { status: string }) => void>();
  private joinRefs = new Map<string, string>();
  sample: Sample = sample();
  shutDown = false;

  private constructor(private readonly ws: WebSocket) {
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => this.receive(e.data);
  }

  static connect(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Client(ws));
      ws.onerror = () => reject(new Error(`could not connect to ${url}`));
    });
  }

  private receive(data: string | ArrayBuffer) {
    const now = performance.now();
    if (typeof data === "string" && !data.includes('"broadcast"')) {
      const [, ref, , event, payload] = JSON.parse(data);
      if (event === "phx_reply") this.replies.get(ref)?.(payload);
      if (event === "system" && payload.status === "error") this.shutDown = true;
      return;
    }
    const t = sentAt(data);
    if (t === null || Number.isNaN(t)) return;
    this.sample.latencies.push(now - t);
    this.sample.received++;
    this.sample.lastAt = now;
  }

  private call(topic: string, event: string, payload: unknown, joinRef: string | null = null) {
    const ref = String(++this.ref);
    this.ws.send(JSON.stringify([joinRef ?? ref, ref, topic, event, payload]));
    return new Promise<{ status: string }>((resolve) => this.replies.set(ref, resolve));
  }

  async join(name: string): Promise<void> {
    const topic = `realtime:${name}`;
    const ref = String(this.ref + 1);
    const reply = await this.call(topic, "phx_join", { config: { broadcast: { self: false, ack: false } } });
    if (reply.status !== "ok") throw new Error(`join ${name} failed: ${JSON.stringify(reply)}`);
    this.joinRefs.set(topic, ref);
  }

  send(name: string, event: string, payload: unknown) {
    const topic = `realtime:${name}`;
    this.ws.send(userBroadcastPush(this.joinRefs.get(topic) ?? "", topic, event, payload));
  }

  heartbeat() {
    this.ws.send(JSON.stringify([null, String(++this.ref), "phoenix", "heartbeat", {}]));
  }

  close() {
    this.ws.close();
  }
}

async function connectMany(url: string, n: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i += 100) {
    clients.push(
      ...await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => Client.connect(url))),
    );
  }
  return clients;
}

async function joinAll(clients: Client[], topicOf: (i: number) => string) {
  for (let i = 0; i < clients.length; i += 100) {
    await Promise.all(clients.slice(i, i + 100).map((c, j) => c.join(topicOf(i + j))));
  }
}

function resetSamples(clients: Client[]) {
  for (const c of clients) c.sample = sample();
}

function merged(clients: Client[]): Sample {
  const all = sample();
  for (const c of clients) {
    for (const l of c.sample.latencies) all.latencies.push(l);
    all.received += c.sample.received;
    all.lastAt = Math.max(all.lastAt, c.sample.lastAt);
  }
  return all;
}

async function deliveredAll(clients: Client[], expected: number, timeoutMs = 60_000): Promise<Sample> {
  const deadline = performance.now() + timeoutMs;
  const received = () => clients.reduce((n, c) => n + c.sample.received, 0);
  while (received() < expected && performance.now() < deadline) await sleep(20);
  return merged(clients); // once, at the end: merging while messages arrive would slow the receivers
}

/** The sum of several measuring rounds of one kind against one server. */
class Tally {
  readonly latencies: number[] = [];
  sent = 0;
  delivered = 0;
  expected = 0;
  seconds = 0;

  async add(listeners: Client[], sent: number, expected: number, started: number): Promise<void> {
    const s = await deliveredAll(listeners, expected);
    for (const l of s.latencies) this.latencies.push(l);
    this.sent += sent;
    this.delivered += s.received;
    this.expected += expected;
    this.seconds += (s.lastAt - started) / 1000;
  }

  get p99(): number {
    return percentile(this.latencies, 99);
  }

  get deliveriesPerSecond(): number {
    return this.delivered / this.seconds;
  }

  toString(): string {
    const lost = this.expected - this.delivered;
    return `p50 ${ms(percentile(this.latencies, 50))}, p99 ${ms(this.p99)}, ` +
      `max ${ms(percentile(this.latencies, 100))}; ${rate(this.sent / this.seconds)} broadcasts in, ` +
      `${rate(this.deliveriesPerSecond)} deliveries out${lost ? ` (${lost} NOT DELIVERED)` : ""}`;
  }
}

/** Typing indicators: one sender, a steady `perSecond` broadcasts for `seconds`, every other socket listening. */
async function steadyTyping(fleet: Client[], tally: Tally, perSecond: number, seconds: number) {
  const [sender, ...listeners] = fleet;
  resetSamples(listeners);
  const total = perSecond * seconds;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    await sleep(Math.max(0, started + (i * 1000) / perSecond - performance.now()));
    sender.send("bench-typing", "typing", { t: performance.now(), agent: "ana", conversation: 42 });
  }
  await tally.add(listeners, total, total * listeners.length, started);
}

/** Throughput: every sender sends `each` broadcasts as fast as its socket takes them. */
async function burst(
  senders: { client: Client; topic: string }[],
  each: number,
  listeners: Client[],
  fanout: number,
  tally: Tally,
) {
  resetSamples(listeners);
  const started = performance.now();
  for (let i = 0; i < each; i++) {
    for (const s of senders) s.client.send(s.topic, "burst", { t: performance.now(), i });
    if (i % 20 === 19) await sleep(0); // let the socket write
  }
  await tally.add(listeners, senders.length * each, senders.length * each * fanout, started);
}

const versus = (ours: number, base: number) => `×${(ours / base).toFixed(1)}`;

// ── the baseline: a WebSocket relay with no protocol, in a process of its own ──

function runRelay() {
  const sockets = new Set<WebSocket>();
  // Any free port; the benchmark reads it from the first line printed.
  Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(port) }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => sockets.add(socket);
    socket.onclose = () => sockets.delete(socket);
    socket.onmessage = (e) => {
      if (typeof e.data === "string") {
        const [joinRef, ref, topic] = JSON.parse(e.data);
        socket.send(JSON.stringify([joinRef, ref, topic, "phx_reply", { status: "ok", response: {} }]));
        return;
      }
      // Relay the broadcast to everyone else, in the kind-4 shape, with no topic bookkeeping at all.
      const bytes = new Uint8Array(e.data);
      const [, jl, rl, tl, el] = bytes;
      const topic = bytes.subarray(7 + jl + rl, 7 + jl + rl + tl);
      const event = bytes.subarray(7 + jl + rl + tl, 7 + jl + rl + tl + el);
      const body = bytes.subarray(7 + jl + rl + tl + el + bytes[5]);
      const out = new Uint8Array(5 + tl + el + body.length);
      out.set([4, tl, el, 0, 1]);
      out.set(topic, 5);
      out.set(event, 5 + tl);
      out.set(body, 5 + tl + el);
      for (const s of sockets) if (s !== socket) s.send(out);
    };
    return response;
  });
}

/** Starts the relay in a process of its own and returns its URL once it listens. */
async function startRelay(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--relay"],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (!printed.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the baseline relay exited before it listened");
    printed += value;
  }
  await reader.cancel(); // nothing more is printed
  return {
    url: `ws://127.0.0.1:${parseInt(printed)}/`,
    async stop() {
      try {
        child.kill();
      } catch { /* it has already exited */ }
      await child.status;
    },
  };
}

// ── Broadcast from Database ──

async function databaseBroadcast(cfg: StackConfig, url: string) {
  const sql = postgres(cfg.dbUrl, { max: 8, onnotice: () => {} });
  const listener = await Client.connect(url);
  await listener.join("bench-db");
  const send = (payload: { t: number; i: number }) =>
    sql`select realtime.send(${sql.json(payload)}, 'row', 'bench-db', false)`;
  try {
    listener.sample = sample();
    const n = 300;
    const started = performance.now();
    const statementMs: number[] = [];
    for (let i = 0; i < n; i++) {
      await sleep(Math.max(0, started + i * 10 - performance.now()));
      const t = performance.now();
      await send({ t, i });
      statementMs.push(performance.now() - t);
    }
    const steady = await deliveredAll([listener], n);
    console.log(
      `database → client, one commit every 10 ms: p50 ${ms(percentile(steady.latencies, 50))}, ` +
        `p99 ${ms(percentile(steady.latencies, 99))} from issuing the committing statement ` +
        `(the statement itself: p50 ${ms(percentile(statementMs, 50))}, p99 ${
          ms(percentile(statementMs, 99))
        })` +
        (steady.received < n ? ` (${n - steady.received} NOT DELIVERED)` : ""),
    );

    listener.sample = sample();
    const rows = 5000;
    const began = performance.now();
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < rows; i += 8) await send({ t: performance.now(), i });
    }));
    const committedIn = (performance.now() - began) / 1000;
    const burst = await deliveredAll([listener], rows);
    console.log(
      `database → client, ${rows} commits from 8 connections: ${rate(rows / committedIn)} committed, ` +
        `${rate(burst.received / ((burst.lastAt - began) / 1000))} delivered; ` +
        `p50 ${ms(percentile(burst.latencies, 50))}, p99 ${ms(percentile(burst.latencies, 99))}` +
        (burst.received < rows ? ` (${rows - burst.received} NOT DELIVERED)` : ""),
    );
  } finally {
    listener.close();
    await sql.end();
  }
}

// ── the run ──

/** 1,000 sockets to one server, all joined to the typing topic, kept alive with heartbeats. */
async function fleet(url: string): Promise<{ clients: Client[]; close(): void }> {
  const clients = await connectMany(url, SOCKETS);
  await joinAll(clients, () => "bench-typing");
  const heartbeats = setInterval(() => clients.forEach((c) => c.heartbeat()), 20_000);
  return {
    clients,
    close() {
      clearInterval(heartbeats);
      clients.forEach((c) => c.close());
    },
  };
}

const ROUNDS = 5;

/**
 * The fan-out figures, Realtime and the plain relay measured in alternating rounds so that whatever else runs on
 * this machine weighs on both alike.
 */
async function fanoutFigures(url: string, relayUrl: string) {
  const ours = await fleet(url);
  const base = await fleet(relayUrl);
  try {
    const typing = { ours: new Tally(), base: new Tally() };
    const oneTopic = { ours: new Tally(), base: new Tally() };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [side, { clients }] of [["ours", ours], ["base", base]] as const) {
        await steadyTyping(clients, typing[side], 20, 2);
        const senders = clients.slice(0, 4).map((client) => ({ client, topic: "bench-typing" }));
        await burst(senders, 25, clients.slice(4), SOCKETS - 4, oneTopic[side]);
      }
    }
    await joinAll(ours.clients, (i) => `bench-room-${i % TOPICS}`);
    const rooms = ours.clients.slice(0, TOPICS).map((client, i) => ({ client, topic: `bench-room-${i}` }));
    const manyTopics = new Tally();
    await burst(rooms, 50, ours.clients, SOCKETS / TOPICS - 1, manyTopics);
    if (ours.clients.some((c) => c.shutDown)) {
      console.log("warning: Realtime shut channels down for exceeding its per-socket rate limit");
    }
    return { typing, oneTopic, manyTopics };
  } finally {
    ours.close();
    base.close();
  }
}

async function main() {
  const given = Deno.env.get("ATENDE_API_PORT");
  const stack = given ? null : await spawnStack({
    portBase: 55290,
    name: "bench-realtime-55290",
    reset: true,
    env: { ATENDE_REALTIME_MAX_EVENTS_PER_SECOND: "1000000" },
  });
  const cfg = stack?.cfg ?? loadConfig();
  const ws = cfg.apiUrl.replace(/^http/, "ws");
  const url = `${ws}/realtime/v1/websocket?apikey=${cfg.publishableKey}&vsn=2.0.0`;
  // Client and server share this machine; its load says how far the figures are the server's own.
  const load = () => `load average ${Deno.loadavg()[0].toFixed(1)} on ${navigator.hardwareConcurrency} cores`;
  const relay = await startRelay().catch(async (e) => {
    await stack?.stop();
    throw e;
  });
  try {
    console.log(`Realtime benchmark against ${cfg.apiUrl}, ${SOCKETS} sockets (vsn 2.0.0), ${load()}`);
    const { typing, oneTopic, manyTopics } = await fanoutFigures(url, relay.url);
    const met = typing.ours.p99 <= 50 ? "met" : "MISSED";
    console.log(
      `typing, 20/s to ${SOCKETS - 1} sockets on one topic: ${typing.ours} [target p99 ≤ 50 ms: ${met}]`,
    );
    console.log(`  baseline plain relay: ${typing.base}; p99 ${versus(typing.ours.p99, typing.base.p99)}`);
    console.log(`burst, 4 senders × 25 to ${SOCKETS - 4} sockets on one topic: ${oneTopic.ours}`);
    const oneTopicRatio = versus(oneTopic.ours.deliveriesPerSecond, oneTopic.base.deliveriesPerSecond);
    console.log(`  baseline plain relay: ${oneTopic.base}; deliveries/s ${oneTopicRatio}`);
    console.log(`burst, 50 each on ${TOPICS} topics × ${SOCKETS / TOPICS} sockets: ${manyTopics}`);
    console.log(`  (the plain relay knows no topics, so this one has no baseline)`);
    await databaseBroadcast(cfg, url);
    console.log(`done, ${load()}`);
  } finally {
    await relay.stop();
    await stack?.stop();
  }
}

if (Deno.args[0] === "--relay") runRelay();
else if (import.meta.main) await main();
