// One joined channel of one socket, behaving as RealtimeWeb.RealtimeChannel: the join checks (token, private
// channel policies, replay), broadcast, presence, token refresh, the periodic token check, and shutdowns.
import type { Sql } from "../db.ts";
import type { Claims } from "../jwt.ts";
import {
  type AuthContext,
  authorizeRead,
  authorizeWrite,
  type Extension,
  type Policies,
  unevaluated,
} from "./authorization.ts";
import type { Hub, Subscriber, TopicRef } from "./hub.ts";
import type { JoinConfig } from "./join-config.ts";
import { userToken } from "./join-config.ts";
import { replayable, type StoredMessage } from "./messages.ts";
import { logFailure } from "./log.ts";
import { Fanout, type Inbound, isMap, isUserBroadcast, type Vsn } from "./protocol.ts";
import type { RealtimeSettings } from "./settings.ts";
import { checkToken, secondsLeft, TokenError } from "./tokens.ts";

/** What a channel needs from its socket. */
export interface ChannelHost {
  readonly vsn: Vsn;
  /** The connect-time token (the API key as a role JWT), used when a join brings no user token. */
  readonly token: string;
  readonly headers: Record<string, string>;
  send(frame: string | Uint8Array): void;
  reply(to: Inbound, status: "ok" | "error", response: unknown): void;
  push(topic: string, joinRef: string | null, event: string, payload: unknown, ref?: string | null): void;
  /** Called once the channel is gone, so the socket forgets it. */
  forget(channel: Channel): void;
}

export interface ChannelDeps {
  sql: Sql;
  hub: Hub;
  jwtSecret: string;
  settings: RealtimeSettings;
}

const TOKEN_CHECK_MAX_MS = 5 * 60 * 1000;
const noPermission = (name: string) => `You do not have permissions to read from this Channel topic: ${name}`;

export class Channel implements Subscriber {
  private static nextId = 1;
  readonly id = Channel.nextId++;
  readonly topic: string;
  readonly ref: TopicRef;
  private token: string;
  private claims: Claims = {};
  private policies: Policies | null = null;
  private presenceEnabled: boolean;
  private presenceCalls = { count: 0, windowEnds: 0 };
  private replays: StoredMessage[] = [];
  private readonly replayedIds = new Set<string>();
  private tokenTimer?: ReturnType<typeof setTimeout>;
  private closed = false;

  constructor(
    private readonly host: ChannelHost,
    private readonly deps: ChannelDeps,
    readonly name: string,
    readonly joinRef: string | null,
    private readonly config: JoinConfig,
  ) {
    this.topic = `realtime:${name}`;
    this.ref = { name, private: config.private };
    this.token = config.accessToken ?? host.token;
    this.presenceEnabled = config.presenceEnabled;
  }

  get vsn(): Vsn {
    return this.host.vsn;
  }

  canRead(extension: Extension): boolean {
    return !this.config.private || this.policies?.[extension].read === true;
  }

  replayed(id: string): boolean {
    return this.replayedIds.has(id);
  }

  deliver(frame: string | Uint8Array): void {
    this.host.send(frame);
  }

  private get authContext(): AuthContext {
    return { topic: this.name, claims: this.claims, headers: this.host.headers };
  }

  private readExtensions(): Extension[] {
    return this.presenceEnabled ? ["broadcast", "presence"] : ["broadcast"];
  }

  /** What the current token may read on this topic, checked afresh (at join and after a token change). */
  private readPolicies(): Promise<Policies> {
    return authorizeRead(this.deps.sql, this.authContext, this.readExtensions(), unevaluated());
  }

  /** Runs the join checks; returns the error reason for the join reply, or null when the join may proceed. */
  async open(): Promise<string | null> {
    if (this.config.postgresChanges.length > 0) {
      return "PostgresChangesNotSupported: postgres_changes is not available on the offline stack; " +
        "broadcast from the database with realtime.send or realtime.broadcast_changes instead";
    }
    try {
      this.claims = await checkToken(this.token, this.deps.jwtSecret);
    } catch (e) {
      if (e instanceof TokenError) return e.joinReason;
      throw e;
    }
    if (this.config.private) {
      try {
        this.policies = await this.readPolicies();
      } catch (e) {
        logFailure("RlsPolicyError", e);
        return `Unauthorized: ${noPermission(this.name)}`;
      }
      if (!this.policies.broadcast.read && !this.policies.presence.read) {
        return `Unauthorized: ${noPermission(this.name)}`;
      }
    }
    const replayError = await this.loadReplay();
    if (replayError) return replayError;
    this.scheduleTokenCheck();
    return null;
  }

  private async loadReplay(): Promise<string | null> {
    const replay = this.config.replay;
    if (replay === undefined || replay === null) return null;
    if (this.policies?.broadcast.read === false) return `Unauthorized: ${noPermission(this.name)}`;
    if (!this.config.private) return "UnableToReplayMessages: Replay is not allowed for public channels";
    if (!isMap(replay)) return null;
    const since = replay.since;
    const limit = replay.limit ?? 25;
    if (!Number.isInteger(since) || !Number.isInteger(limit)) {
      return "UnableToReplayMessages: Replay params are not valid";
    }
    try {
      this.replays = await replayable(this.deps.sql, this.name, since as number, limit as number);
    } catch (e) {
      logFailure("UnableToReplayMessages", e);
      return "UnableToReplayMessages: Realtime was unable to replay messages";
    }
    for (const m of this.replays) this.replayedIds.add(m.id);
    return null;
  }

  /** Subscribes, answers the join, then sends what follows a join in Realtime's order: replays, notices, presence. */
  start(join: Inbound): void {
    this.deps.hub.subscribe(this.ref, this);
    this.host.reply(join, "ok", { postgres_changes: [] });
    for (const m of this.replays) {
      const payload = m.payload === null ? null : JSON.parse(m.payload);
      this.push("broadcast", {
        payload,
        event: m.event,
        type: "broadcast",
        meta: { replayed: true, id: m.id },
      });
    }
    this.replays = [];
    if (this.config.replicationReady) this.system("ok", "Replication connection established");
    if (this.presenceEnabled && this.canRead("presence")) {
      this.push("presence_state", this.deps.hub.presenceState(this.ref));
    }
  }

  private push(event: string, payload: unknown, ref: string | null = null): void {
    this.host.push(this.topic, this.joinRef, event, payload, ref);
  }

  private system(status: "ok" | "error", message: string): void {
    this.push("system", { extension: "system", status, message, channel: this.name });
  }

  handle(msg: Inbound): void | Promise<void> {
    switch (msg.event) {
      case "phx_leave":
        this.host.reply(msg, "ok", {});
        return this.close("phx_close");
      case "broadcast":
        return this.broadcast(msg);
      case "presence":
        return this.presence(msg);
      case "access_token":
        return this.refreshToken(msg);
      default:
        if (msg.ref !== null) this.host.reply(msg, "error", { reason: `UnknownEvent: ${msg.event}` });
    }
  }

  private broadcast(msg: Inbound): void | Promise<void> {
    const user = isUserBroadcast(msg.payload) ? msg.payload : null;
    if (!user && !isMap(msg.payload)) {
      if (msg.ref !== null) this.host.reply(msg, "error", { reason: "InvalidPayload: a broadcast is a map" });
      return;
    }
    if (msg.size > this.deps.settings.maxPayloadBytes) {
      if (this.config.ack) this.host.reply(msg, "error", { error: "payload_size_exceeded" });
      return;
    }
    const send = () => {
      this.deps.hub.broadcast(
        this.ref,
        (topic) => user ? Fanout.user(topic, user) : Fanout.map(topic, "broadcast", msg.payload),
        this.config.self ? undefined : this,
      );
      if (this.config.ack) this.host.reply(msg, "ok", {});
    };
    // A private broadcast the write policy refuses is dropped without a word, even with ack, as in Realtime.
    const known = this.config.private ? this.policies?.broadcast.write : true;
    if (known === true) return send();
    if (known === false) return;
    return this.withWritePolicies().then((policies) => {
      if (policies?.broadcast.write) send();
    });
  }

  /**
   * Evaluates the write policies on first use and keeps them until the token changes. A first track also
   * evaluates presence read when the join skipped it, so this socket then gets presence diffs.
   */
  private async withWritePolicies(presenceRead = false): Promise<Policies | null> {
    let policies = this.policies ?? unevaluated();
    if (policies.broadcast.write !== null) return policies;
    try {
      if (presenceRead && policies.presence.read === null) {
        policies = await authorizeRead(this.deps.sql, this.authContext, ["presence"], policies);
      }
      return this.policies = await authorizeWrite(this.deps.sql, this.authContext, policies);
    } catch (e) {
      logFailure("UnableToSetPolicies", e);
      return null;
    }
  }

  private async presence(msg: Inbound): Promise<void> {
    const p = msg.payload;
    if (!isMap(p) || typeof p.event !== "string") return this.host.reply(msg, "ok", {});
    if (!this.countPresenceCall()) return this.shutdown("Client presence rate limit exceeded");
    const event = p.event.toLowerCase();
    if (event === "untrack") {
      this.deps.hub.untrack(this.ref, this, this.config.presenceKey);
      return this.host.reply(msg, "ok", {});
    }
    if (event !== "track") return this.host.reply(msg, "error", {});
    if (this.config.private) {
      const policies = await this.withWritePolicies(true);
      if (this.closed) return;
      if (!policies?.presence.write) return this.host.reply(msg, "error", {});
    }
    const meta = p.payload ?? {};
    if (!isMap(meta)) {
      return this.host.reply(msg, "error", { reason: "Presence track payload must be a map" });
    }
    if (msg.size > this.deps.settings.maxPayloadBytes) return this.shutdown("Track message size exceeded");
    this.presenceEnabled = true;
    this.deps.hub.track(this.ref, this, this.config.presenceKey, meta);
    this.host.reply(msg, "ok", {});
  }

  private countPresenceCall(): boolean {
    const now = Date.now();
    const { presenceCallsPerWindow, presenceWindowMs } = this.deps.settings;
    if (now > this.presenceCalls.windowEnds) {
      this.presenceCalls = { count: 0, windowEnds: now + presenceWindowMs };
    }
    return ++this.presenceCalls.count <= presenceCallsPerWindow;
  }

  private async refreshToken(msg: Inbound): Promise<void> {
    const token = isMap(msg.payload) ? userToken(msg.payload.access_token) : null;
    if (token === null || token === this.token) return;
    const previous = this.policies;
    this.token = token;
    this.policies = null;
    try {
      this.claims = await checkToken(token, this.deps.jwtSecret);
    } catch (e) {
      if (e instanceof TokenError) return this.shutdown(e.message);
      throw e;
    }
    if (this.closed) return;
    this.scheduleTokenCheck();
    if (!this.config.private) return;
    try {
      this.policies = await this.readPolicies();
    } catch (e) {
      logFailure("UnableToSetPolicies", e);
      return this.shutdown("Realtime was unable to connect to the project database");
    }
    if (this.closed) return;
    const now = this.policies;
    if (!now.broadcast.read && !now.presence.read) return this.shutdown(noPermission(this.name));
    const revoked = (ext: Extension) => previous?.[ext].read === true && now[ext].read === false;
    if (revoked("broadcast") || revoked("presence")) {
      return this.shutdown(`You no longer have permission to read from this Channel topic: ${this.name}`);
    }
  }

  /** Re-verifies the token when it expires, and at least every five minutes, closing the channel once it fails. */
  private scheduleTokenCheck(): void {
    clearTimeout(this.tokenTimer);
    const waitMs = Math.min(TOKEN_CHECK_MAX_MS, Math.max(0, secondsLeft(this.claims) * 1000));
    this.tokenTimer = setTimeout(async () => {
      if (this.closed) return;
      try {
        this.claims = await checkToken(this.token, this.deps.jwtSecret);
        this.scheduleTokenCheck();
      } catch (e) {
        this.shutdown(e instanceof TokenError ? e.message : String(e));
      }
    }, waitMs + 50);
  }

  /** A channel-level error: a system message, then the channel closes (Realtime's `shutdown_response`). */
  shutdown(message: string): void {
    if (this.closed) return;
    logFailure("ChannelShutdown", `${this.topic}: ${message}`);
    this.system("error", message);
    this.close("phx_close");
  }

  /** Leaves the topic; `phx_close` tells the client, `silent` is for a socket that is already gone. */
  close(how: "phx_close" | "silent"): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.tokenTimer);
    this.deps.hub.untrack(this.ref, this, this.config.presenceKey);
    this.deps.hub.unsubscribe(this.ref, this);
    this.host.forget(this);
    if (how === "phx_close") this.push("phx_close", {}, this.joinRef);
  }

  /** Drops a channel whose join never finished. */
  dispose(): void {
    this.closed = true;
    clearTimeout(this.tokenTimer);
  }
}
