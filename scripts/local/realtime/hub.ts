// Who is joined where, and fan-out. Public and private channels of the same name are different topics, as in
// Realtime (`Tenants.tenant_topic(tenant, sub_topic, public?)`); each message is encoded once per protocol version.
import { Fanout, type Vsn } from "./protocol.ts";
import { type PresenceDiff, PresenceTopic } from "./presence.ts";
import type { Extension } from "./authorization.ts";

/** A joined channel as the hub sees it. */
export interface Subscriber {
  readonly id: number;
  readonly vsn: Vsn;
  /** Private channels receive only what their read policy allows. */
  canRead(extension: Extension): boolean;
  /** Messages a replay already delivered are not sent again (Realtime's `already_replayed?`). */
  replayed(id: string): boolean;
  deliver(frame: string | Uint8Array): void;
}

export interface TopicRef {
  name: string;
  private: boolean;
}

interface Topic {
  subscribers: Set<Subscriber>;
  presence: PresenceTopic;
}

const keyOf = (t: TopicRef) => `${t.private ? "private" : "public"}:${t.name}`;
export const joinTopic = (name: string) => `realtime:${name}`;

export class Hub {
  private readonly topics = new Map<string, Topic>();

  private topic(t: TopicRef): Topic {
    const key = keyOf(t);
    let topic = this.topics.get(key);
    if (!topic) this.topics.set(key, topic = { subscribers: new Set(), presence: new PresenceTopic() });
    return topic;
  }

  private dropIfUnused(t: TopicRef): void {
    const topic = this.topics.get(keyOf(t));
    if (topic && topic.subscribers.size === 0 && topic.presence.empty) this.topics.delete(keyOf(t));
  }

  subscribe(t: TopicRef, s: Subscriber): void {
    this.topic(t).subscribers.add(s);
  }

  unsubscribe(t: TopicRef, s: Subscriber): void {
    this.topics.get(keyOf(t))?.subscribers.delete(s);
    this.dropIfUnused(t);
  }

  /** Sends a broadcast to every reader of the topic, skipping `except` (the sender without `self`). */
  broadcast(t: TopicRef, make: (topic: string) => Fanout, except?: Subscriber): number {
    const subscribers = this.topics.get(keyOf(t))?.subscribers;
    if (!subscribers?.size) return 0;
    const message = make(joinTopic(t.name));
    const id = message.id;
    let sent = 0;
    for (const s of subscribers) {
      if (s === except || !s.canRead("broadcast") || (id && s.replayed(id))) continue;
      const frame = message.frame(s.vsn);
      if (frame === null) continue;
      s.deliver(frame);
      sent++;
    }
    return sent;
  }

  presenceState(t: TopicRef) {
    return this.topics.get(keyOf(t))?.presence.state() ?? {};
  }

  track(t: TopicRef, s: Subscriber, key: string, meta: Record<string, unknown>): void {
    this.sendDiff(t, this.topic(t).presence.track(s.id, key, meta));
  }

  untrack(t: TopicRef, s: Subscriber, key: string): void {
    const topic = this.topics.get(keyOf(t));
    if (!topic) return;
    this.sendDiff(t, topic.presence.untrack(s.id, key));
    this.dropIfUnused(t);
  }

  private sendDiff(t: TopicRef, diff: PresenceDiff | null): void {
    const subscribers = this.topics.get(keyOf(t))?.subscribers;
    if (!diff || !subscribers) return;
    const message = Fanout.map(joinTopic(t.name), "presence_diff", diff);
    for (const s of subscribers) {
      if (s.canRead("presence")) s.deliver(message.frame(s.vsn)!);
    }
  }
}
