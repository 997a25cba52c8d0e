// The customers' side: their phones, the chats on them, and what happens to a message our product sends —
// the network takes it (sent), the phone gets it (delivered), the customer reads it (read) — paced by the
// settings. Each change of an outbound message is handed to the channel's provider, which turns it into a receipt.
import type { ChatMessage, Customer, MessageStatus, ProviderError, Settings } from "./model.ts";
import type { Timers } from "./timers.ts";

const chatKey = (channel: string, phone: string) => `${channel}|${phone}`;

type Listener = (message: ChatMessage) => void;

const RANK: Record<MessageStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

export class Phones {
  #customers = new Map<string, Customer>();
  #messages = new Map<string, ChatMessage>();
  #chats = new Map<string, ChatMessage[]>();
  #listeners = new Map<string, Set<Listener>>();
  /** Bumped by clear(), so receipts scheduled before a reset do not fire after it. */
  #epoch = 0;

  constructor(
    private readonly timers: Timers,
    private readonly settings: Settings,
    private readonly onOutboundStatus: (message: ChatMessage) => void,
  ) {}

  customer(channel: string, phone: string): Customer {
    const key = chatKey(channel, phone);
    let customer = this.#customers.get(key);
    if (!customer) {
      customer = { channel, phone, name: `Cliente ${phone.slice(-4)}`, lastInboundAt: null };
      this.#customers.set(key, customer);
    }
    return customer;
  }

  customers(channel: string): Customer[] {
    return [...this.#customers.values()].filter((c) => c.channel === channel);
  }

  chat(channel: string, phone: string): ChatMessage[] {
    return this.#chats.get(chatKey(channel, phone)) ?? [];
  }

  message(id: string): ChatMessage | undefined {
    return this.#messages.get(id);
  }

  add(message: ChatMessage): ChatMessage {
    const key = chatKey(message.channel, message.customer);
    this.customer(message.channel, message.customer);
    this.#messages.set(message.id, message);
    const chat = this.#chats.get(key) ?? [];
    this.#chats.set(key, chat);
    chat.push(message);
    this.#emit(message);
    return message;
  }

  /** Moves a message's status forward only (a late or repeated webhook acknowledgement changes nothing). */
  setStatus(message: ChatMessage, status: MessageStatus, error?: ProviderError): void {
    if (RANK[status] <= RANK[message.status]) return;
    message.status = status;
    if (error) message.error = error;
    this.#emit(message);
    if (message.direction === "out") this.onOutboundStatus(message);
  }

  /** An accepted send goes sent → delivered, then read if customers read on delivery. */
  deliver(message: ChatMessage): void {
    const epoch = this.#epoch;
    const step = (status: MessageStatus, next?: () => void) =>
      this.timers.later(this.settings.receiptDelayMs, () => {
        if (epoch !== this.#epoch) return;
        this.setStatus(message, status);
        next?.();
      });
    step("sent", () => step("delivered", () => this.settings.readOn === "delivery" && step("read")));
  }

  /** An accepted send the provider cannot deliver: a `failed` receipt follows. */
  fail(message: ChatMessage, error: ProviderError): void {
    const epoch = this.#epoch;
    this.timers.later(
      this.settings.receiptDelayMs,
      () => epoch === this.#epoch && this.setStatus(message, "failed", error),
    );
  }

  /** The customer looks at the chat: what reached the phone is now read. Returns how many. */
  read(channel: string, phone: string): number {
    if (this.settings.readOn === "never") return 0;
    const unread = this.chat(channel, phone).filter((m) => m.direction === "out" && m.status === "delivered");
    for (const m of unread) this.setStatus(m, "read");
    return unread.length;
  }

  subscribe(channel: string, phone: string, listener: Listener): () => void {
    const key = chatKey(channel, phone);
    const set = this.#listeners.get(key) ?? new Set();
    this.#listeners.set(key, set.add(listener));
    return () => set.delete(listener);
  }

  clear(): void {
    this.#epoch++;
    this.#customers.clear();
    this.#messages.clear();
    this.#chats.clear();
  }

  #emit(message: ChatMessage) {
    for (const listener of this.#listeners.get(chatKey(message.channel, message.customer)) ?? []) {
      listener(message);
    }
  }
}
