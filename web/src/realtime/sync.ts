// Keeps the cache in step with the server. Topics: `tenant:<id>` (inbox changes), `agent:<me>` (personal
// notices) and `conversation:<id>` for each open thread (messages and typing). Broadcasts are applied as they
// come; after any gap (socket drop, offline, stack restart) the console reads the event log from the last
// position it saw, and each open thread fetches the messages after its newest seq. The same catch-up runs every
// 5 s while the socket is down and every 30 s while it is up, as a safety net.
import type { QueryClient } from "@tanstack/react-query";
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { rows } from "../lib/rest";
import type { ChangeEvent, EventRow } from "../lib/types";
import { type EventPage, type EventPosition, LOG_START, readEventsAfter } from "../sync/catch-up";
import { newestSeq, type ThreadPages, upsertMessages } from "../sync/messages";
import type { TypingSignal } from "../sync/typing";
import { conversationKeys, fetchMessagesAfter } from "../features/conversation/queries";
import { type ApplyContext, applyEvent } from "./actions";
import { currentConnection, forgetTopic, onConnectionChange, reportOnline, reportTopic } from "./connection";

export const POLL_WHILE_UP_MS = 30_000;
export const POLL_WHILE_DOWN_MS = 5_000;
/** Broadcasts kept for queries whose first load was in flight when they came. */
const RECENT_MS = 60_000;
const RECENT_MAX = 500;

interface Thread {
  channel: RealtimeChannel;
  users: number;
  typingListeners: Set<(signal: TypingSignal) => void>;
}

export interface ThreadHandle {
  sendTyping: (signal: TypingSignal) => void;
  leave: () => void;
}

export interface SyncOptions {
  tenantId: string;
  me: string;
  /** Personal notices from `agent:<me>` (a conversation assigned or transferred to this agent). */
  onNotice: (event: ChangeEvent) => void;
}

export class SyncEngine {
  private position: EventPosition | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextPollAt = 0;
  private topics: RealtimeChannel[] = [];
  private threads = new Map<string, Thread>();
  /** Channels this console left: their last status callbacks ("CLOSED") must not count as a drop. */
  private left = new WeakSet<RealtimeChannel>();
  private stopped = false;
  private readonly ctx: ApplyContext;
  private readonly cleanups: (() => void)[] = [];
  private recent: { at: number; event: ChangeEvent }[] = [];

  constructor(private client: SupabaseClient, private queryClient: QueryClient, private options: SyncOptions) {
    this.ctx = {
      queryClient,
      tenantId: options.tenantId,
      onMissedMessages: (id) => void this.fetchNewer(id).catch(() => undefined),
    };
  }

  start() {
    this.topics.push(
      this.join(`tenant:${this.options.tenantId}`, (e) => this.receive(e)),
      this.join(`agent:${this.options.me}`, (e) => {
        this.receive(e);
        this.options.onNotice(e);
      }),
    );
    const online = () => {
      reportOnline(true);
      void this.sync();
    };
    const offline = () => reportOnline(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    let was = currentConnection();
    const off = onConnectionChange(() => {
      const now = currentConnection();
      if (now === "connected" && was !== "connected") void this.sync();
      was = now;
      this.schedulePoll();
    });
    // A list or thread whose first load was in flight when a broadcast came holds the answer from before it:
    // replay the recent broadcasts into it once it lands (applying is idempotent, so the rest change nothing).
    const unwatch = this.queryClient.getQueryCache().subscribe((e) => {
      if (e.type !== "updated" || e.action.type !== "success" || e.query.state.dataUpdateCount !== 1) return;
      if (e.query.queryKey[0] === "inbox" || e.query.queryKey[2] === "messages") setTimeout(() => this.replayRecent());
    });
    this.cleanups.push(
      () => window.removeEventListener("online", online),
      () => window.removeEventListener("offline", offline),
      off,
      unwatch,
    );
    void this.sync();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.cleanups.forEach((c) => c());
    for (const channel of [...this.topics, ...[...this.threads.values()].map((t) => t.channel)]) this.leave(channel);
    this.topics = [];
    this.threads.clear();
  }

  /** An open thread subscribes to its conversation's topic; several views of one thread share it. */
  joinConversation(conversationId: string, onTyping: (signal: TypingSignal) => void): ThreadHandle {
    let thread = this.threads.get(conversationId);
    if (!thread) {
      const listeners = new Set<(signal: TypingSignal) => void>();
      const channel = this.join(`conversation:${conversationId}`, (e) => this.receive(e), (signal) => {
        listeners.forEach((l) => l(signal));
      });
      thread = { channel, users: 0, typingListeners: listeners };
      this.threads.set(conversationId, thread);
    }
    const joined = thread;
    joined.users++;
    joined.typingListeners.add(onTyping);
    return {
      sendTyping: (signal) => void joined.channel.send({ type: "broadcast", event: "typing", payload: signal }),
      leave: () => {
        joined.typingListeners.delete(onTyping);
        if (--joined.users > 0 || this.threads.get(conversationId) !== joined) return;
        this.threads.delete(conversationId);
        this.leave(joined.channel);
      },
    };
  }

  /** Catch up now (serialised: a call during a run makes the run go once more). */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runSync().finally(() => {
      this.running = null;
      this.schedulePoll();
    });
    return this.running;
  }

  private join(topic: string, onEvent: (e: ChangeEvent) => void, onTyping?: (s: TypingSignal) => void) {
    const channel = this.client.channel(topic, { config: { private: true } });
    channel.on("broadcast", { event: "*" }, ({ event, payload }) => {
      if (event === "typing") onTyping?.(payload as TypingSignal);
      else if (payload && typeof payload === "object" && "type" in payload) onEvent(payload as ChangeEvent);
    });
    let down = false;
    channel.subscribe((status) => {
      if (this.stopped || this.left.has(channel)) return;
      const up = status === "SUBSCRIBED";
      reportTopic(channel.subTopic, up);
      // joined again after a drop: whatever was broadcast meanwhile is in the log
      if (up && down) void this.sync();
      down = !up;
    });
    return channel;
  }

  private leave(channel: RealtimeChannel) {
    this.left.add(channel);
    forgetTopic(channel.subTopic);
    void this.client.removeChannel(channel);
  }

  private receive(event: ChangeEvent) {
    const now = Date.now();
    this.recent.push({ at: now, event });
    while (this.recent.length > RECENT_MAX || now - this.recent[0].at > RECENT_MS) this.recent.shift();
    void applyEvent(this.ctx, event).catch(() => this.sync());
  }

  private replayRecent() {
    if (this.stopped) return;
    for (const { event } of this.recent) void applyEvent(this.ctx, event).catch(() => undefined);
  }

  private page: EventPage = (after, maxRows) =>
    rows<EventRow[]>(
      this.client.rpc("events_after", {
        tenant_id: this.options.tenantId,
        after_tx: after.tx,
        after_id: after.id,
        max_rows: maxRows,
      }),
    );

  private async latestPosition(): Promise<EventPosition> {
    const [last] = await rows<{ id: number; tx: number }[]>(
      this.client.from("events").select("id,tx").eq("tenant_id", this.options.tenantId)
        .order("tx", { ascending: false }).order("id", { ascending: false }).limit(1),
    );
    return last ? { tx: last.tx, id: last.id } : LOG_START;
  }

  private async runSync() {
    do {
      this.again = false;
      try {
        await this.catchUp();
        await Promise.all([...this.threads.keys()].map((id) => this.fetchNewer(id)));
      } catch {
        // the network or the stack is down; the next poll tries again
      }
    } while (this.again && !this.stopped);
  }

  private async catchUp() {
    if (!this.position) {
      // the first position is "now": what happened before is in the lists and threads as they load
      this.position = await this.latestPosition();
      return;
    }
    const result = await readEventsAfter(this.position, this.page);
    for (const event of result.events) await applyEvent(this.ctx, event);
    this.position = result.position;
    // a gap too long to replay: refetch what is on screen, and keep reading the log from here
    if (!result.complete) await this.queryClient.invalidateQueries();
  }

  private async fetchNewer(conversationId: string) {
    const key = conversationKeys.messages(conversationId);
    const thread = this.queryClient.getQueryData<ThreadPages>(key);
    if (!thread) return;
    const missed = await fetchMessagesAfter(conversationId, newestSeq(thread));
    if (!missed.length) return;
    this.queryClient.setQueryData<ThreadPages>(key, (data) => (data ? upsertMessages(data, missed) : data));
  }

  private schedulePoll() {
    if (this.stopped) return;
    const delay = currentConnection() === "connected" ? POLL_WHILE_UP_MS : POLL_WHILE_DOWN_MS;
    const at = Date.now() + delay;
    // a poll already due sooner stays; a drop shortens the wait to 5 s at once
    if (this.timer && this.nextPollAt > Date.now() && this.nextPollAt <= at) return;
    clearTimeout(this.timer);
    this.nextPollAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, delay);
  }
}
