// Posts webhooks to our product the way the providers do, with the faults a channel asks for.
// Without faults, the webhooks about one customer arrive in the order they were made (one lane per customer,
// many customers in parallel); a failed attempt is retried with exponential backoff outside its lane, so a
// retried webhook can land after later ones — as with Evolution, whose deliveries run independently.
import type { Faults, WebhookFault } from "./faults.ts";
import type { DeliveryRecord, Settings } from "./model.ts";
import type { Timers } from "./timers.ts";

export interface Webhook {
  channel: string;
  /** The customer the webhook is about: its lane, and what `to` in a fault matches. */
  customer: string;
  /** Evolution's event name, or "messages" / "statuses" for the Cloud API. */
  label: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Which answers count as delivered (Meta: only 200; Evolution: any 2xx). */
  delivered(status: number): boolean;
  /** Which failed answers are worth another attempt (Evolution gives up on 400, 401, 403, 404, 422). */
  retryable(status: number): boolean;
  onDelivered?: () => void;
}

const MAX_LOG = 50_000;

/** Appends, dropping the oldest tenth once `max` is reached, so a long demo does not grow without bound. */
export function boundedPush<T>(list: T[], item: T, max = MAX_LOG): void {
  if (list.length >= max) list.splice(0, Math.ceil(max / 10));
  list.push(item);
}

export class Webhooks {
  readonly log: DeliveryRecord[] = [];
  #lanes = new Map<string, Promise<void>>();
  #inFlight = new Set<Promise<void>>();
  #reorderBuckets = new Map<number, (() => void)[]>();
  #nextDelivery = 1;

  constructor(
    private readonly timers: Timers,
    private readonly faults: Faults,
    private readonly settings: Settings,
    private readonly onAttempt: (record: DeliveryRecord) => void = () => {},
  ) {}

  post(webhook: Webhook): void {
    const faults = this.faults.forWebhook(webhook.channel, webhook.customer, webhook.label);
    const copies = Math.max(1, ...faults.map((f) => f.kind === "webhook_duplicate" ? f.times : 1));
    const delayMs = faults.reduce((sum, f) => sum + (f.kind === "webhook_delay" ? f.ms : 0), 0);
    const release = () => {
      for (let i = 0; i < copies; i++) this.#enqueue(webhook);
    };
    const releaseAfterDelay = () => delayMs > 0 ? this.timers.later(delayMs, release) : release();
    const reorder = faults.find((f) => f.kind === "webhook_reorder");
    if (reorder) this.#holdForReorder(reorder, releaseAfterDelay);
    else releaseAfterDelay();
  }

  /** Waits for the attempts under way (stop the timers first so nothing new starts). */
  async settle(): Promise<void> {
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
  }

  clear(): void {
    this.log.length = 0;
  }

  #holdForReorder(fault: Extract<WebhookFault, { kind: "webhook_reorder" }>, release: () => void) {
    let held = this.#reorderBuckets.get(fault.id);
    const flush = (bucket: (() => void)[]) => {
      if (this.#reorderBuckets.get(fault.id) !== bucket) return;
      this.#reorderBuckets.delete(fault.id);
      for (const r of bucket.reverse()) r();
    };
    if (!held) {
      const bucket: (() => void)[] = held = [];
      this.#reorderBuckets.set(fault.id, bucket);
      this.timers.later(fault.maxWaitMs, () => flush(bucket));
    }
    held.push(release);
    if (held.length >= fault.size) flush(held);
  }

  #enqueue(webhook: Webhook) {
    const lane = `${webhook.channel}|${webhook.customer}`;
    const delivery = this.#nextDelivery++;
    const run = (this.#lanes.get(lane) ?? Promise.resolve()).then(() => this.#attempt(webhook, delivery, 1));
    this.#lanes.set(lane, run);
    this.#track(run.finally(() => {
      if (this.#lanes.get(lane) === run) this.#lanes.delete(lane);
    }));
  }

  #track(work: Promise<void>) {
    this.#inFlight.add(work);
    work.finally(() => this.#inFlight.delete(work));
  }

  async #attempt(webhook: Webhook, delivery: number, attempt: number): Promise<void> {
    if (this.timers.signal.aborted) return;
    const started = performance.now();
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(webhook.url, {
        method: "POST",
        headers: webhook.headers,
        body: webhook.body as BodyInit,
        signal: AbortSignal.any([this.timers.signal, AbortSignal.timeout(this.settings.webhookTimeoutMs)]),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      error = e instanceof DOMException && e.name === "TimeoutError" ? "timeout" : String(e);
    }
    const record: DeliveryRecord = {
      delivery,
      attempt,
      channel: webhook.channel,
      label: webhook.label,
      url: webhook.url,
      status,
      ms: Math.round(performance.now() - started),
      at: Date.now(),
      ...(error ? { error } : {}),
    };
    boundedPush(this.log, record);
    this.onAttempt(record);
    if (status !== null && webhook.delivered(status)) return webhook.onDelivered?.();
    const { attempts, initialDelayMs, maxDelayMs } = this.settings.retry;
    if (attempt >= attempts || (status !== null && !webhook.retryable(status))) return;
    const wait = Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs);
    this.timers.later(wait, () => this.#track(this.#attempt(webhook, delivery, attempt + 1)));
  }
}
