// One client WebSocket, as Phoenix.Socket handles it: decode frames, answer heartbeats, route each message to
// its channel (in arrival order), and keep a bad client from hurting anyone else — undecodable frames close the
// socket, floods shut its channels down, a socket that stops reading or goes silent is dropped.
import { Channel, type ChannelDeps, type ChannelHost } from "./channel.ts";
import { parseJoin } from "./join-config.ts";
import { logFailure } from "./log.ts";
import { decodeFrame, encodeMessage, FrameError, type Inbound, type Vsn } from "./protocol.ts";

export class Connection implements ChannelHost {
  private readonly channels = new Map<string, Channel>();
  private lastSeen = Date.now();
  private rate = { count: 0, windowEnds: 0 };
  /** The tail of the messages still being handled; null when none is. */
  private queue: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    readonly token: string,
    readonly headers: Record<string, string>,
    private readonly deps: ChannelDeps,
    /** Told once when the socket is gone, with the close code. */
    private readonly onGone: (c: Connection, code: number) => void,
  ) {
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = (e) => this.gone(e.code);
    ws.onerror = () => this.gone(1006);
  }

  idleFor(now: number): number {
    return now - this.lastSeen;
  }

  private receive(data: string | ArrayBuffer): void {
    if (this.closed) return;
    this.lastSeen = Date.now();
    const size = typeof data === "string" ? data.length : data.byteLength;
    if (size > this.deps.settings.maxFrameBytes) return this.disconnect(1009, "frame too large");
    let msg: Inbound;
    try {
      msg = decodeFrame(this.vsn, data);
    } catch (e) {
      const why = e instanceof FrameError ? e.message : String(e);
      return this.disconnect(1007, `malformed frame: ${why}`);
    }
    if (msg.topic === "phoenix" && msg.event === "heartbeat") return this.reply(msg, "ok", {});
    if (!this.withinRate()) return;
    this.enqueue(msg);
  }

  /** Over the per-second budget every channel of this socket is shut down, as Realtime does over its rate limit. */
  private withinRate(): boolean {
    const now = Date.now();
    if (now > this.rate.windowEnds) this.rate = { count: 0, windowEnds: now + 1000 };
    if (++this.rate.count <= this.deps.settings.maxEventsPerSecond) return true;
    if (this.rate.count === this.deps.settings.maxEventsPerSecond + 1) {
      for (const channel of [...this.channels.values()]) channel.shutdown("Too many messages per second");
    }
    return false;
  }

  /** Handles messages one after the other; most finish synchronously and never touch the queue. */
  private enqueue(msg: Inbound): void {
    if (this.queue) {
      this.settle(this.queue.then(() => this.handle(msg)));
      return;
    }
    const done = this.handle(msg);
    if (done) this.settle(done);
  }

  private settle(tail: Promise<void>): void {
    this.queue = tail;
    tail.then(() => {
      if (this.queue === tail) this.queue = null;
    });
  }

  private handle(msg: Inbound): Promise<void> | undefined {
    const crashed = (e: unknown) => {
      logFailure(
        "UnknownErrorOnChannel",
        `${msg.event} on ${msg.topic}: ${e instanceof Error ? e.stack : e}`,
      );
      if (msg.ref !== null) this.reply(msg, "error", { reason: "Unknown Error on Channel" });
    };
    try {
      return this.route(msg)?.catch(crashed);
    } catch (e) {
      crashed(e);
    }
  }

  private route(msg: Inbound): void | Promise<void> {
    if (this.closed) return;
    if (msg.event === "phx_join") return this.join(msg);
    const channel = this.channels.get(msg.topic);
    if (!channel) {
      if (msg.event === "phx_leave") return this.reply(msg, "ok", {});
      return this.reply(msg, "error", { reason: "unmatched topic" });
    }
    // A message for an earlier join of this topic raced its close: Phoenix drops it.
    if (channel.joinRef !== null && msg.joinRef !== channel.joinRef) return;
    return channel.handle(msg);
  }

  private async join(msg: Inbound): Promise<void> {
    if (!msg.topic.startsWith("realtime:")) return this.reply(msg, "error", { reason: "unmatched topic" });
    const name = msg.topic.slice("realtime:".length);
    if (!name) {
      return this.reply(msg, "error", { reason: "TopicNameRequired: You must provide a topic name" });
    }
    this.channels.get(msg.topic)?.close("phx_close"); // a second join replaces the first
    if (this.channels.size >= this.deps.settings.maxChannelsPerSocket) {
      return this.reply(msg, "error", { reason: "ChannelRateLimitReached: Too many channels" });
    }
    const channel = new Channel(this, this.deps, name, msg.joinRef, parseJoin(msg.payload));
    const refused = await channel.open();
    if (this.closed) return channel.dispose();
    if (refused) {
      channel.dispose();
      logFailure("JoinRefused", `${msg.topic}: ${refused}`);
      return this.reply(msg, "error", { reason: refused });
    }
    this.channels.set(msg.topic, channel);
    channel.start(msg);
  }

  forget(channel: Channel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  send(frame: string | Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.deps.settings.maxBufferedBytes) {
      return this.disconnect(1008, "the client does not read its messages");
    }
    this.ws.send(frame);
  }

  reply(to: Inbound, status: "ok" | "error", response: unknown): void {
    this.send(encodeMessage(this.vsn, {
      joinRef: to.joinRef,
      ref: to.ref,
      topic: to.topic,
      event: "phx_reply",
      payload: { status, response },
    }));
  }

  push(
    topic: string,
    joinRef: string | null,
    event: string,
    payload: unknown,
    ref: string | null = null,
  ): void {
    this.send(encodeMessage(this.vsn, { joinRef, ref, topic, event, payload }));
  }

  /** Closes the socket; its channels leave at once, without waiting for the client's close frame. */
  disconnect(code: number, reason: string): void {
    if (this.closed) return;
    this.gone(code);
    try {
      this.ws.close(code, reason.slice(0, 120)); // a close reason is at most 123 bytes
    } catch { /* already closing */ }
  }

  private gone(code: number): void {
    if (this.closed) return;
    this.closed = true;
    for (const channel of [...this.channels.values()]) channel.close("silent");
    this.onGone(this, code);
  }
}
