// The simulator's state and services in one object, handed to every route: channels, customers' phones, media,
// faults, the webhook poster and the record of every send our product made.
import { cloudReceipt } from "./cloud-events.ts";
import { evolutionReceipt } from "./evolution-events.ts";
import { Faults } from "./faults.ts";
import { MediaStore } from "./media.ts";
import type { Channel, DeliveryRecord, ReadOn, RetryPolicy, SentRecord, Settings } from "./model.ts";
import { Phones } from "./phones.ts";
import { Timers } from "./timers.ts";
import { boundedPush, Webhooks } from "./webhooks.ts";

export interface SimulatorOptions {
  receiptDelayMs?: number;
  readOn?: ReadOn;
  webhookTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** One line per send and per webhook attempt (the CLI prints them). */
  log?: (line: string) => void;
}

const defaultSettings = (o: SimulatorOptions = {}): Settings => ({
  receiptDelayMs: o.receiptDelayMs ?? 300,
  readOn: o.readOn ?? "view",
  webhookTimeoutMs: o.webhookTimeoutMs ?? 30_000,
  retry: { attempts: 10, initialDelayMs: 1_000, maxDelayMs: 30_000, ...o.retry },
});

export class Sim {
  url = "";
  readonly settings: Settings;
  readonly channels = new Map<string, Channel>();
  readonly timers = new Timers();
  readonly faults = new Faults();
  readonly media = new MediaStore();
  readonly webhooks: Webhooks;
  readonly phones: Phones;
  readonly sent: SentRecord[] = [];
  /** Signs the Cloud API's media download URLs. */
  readonly urlSecret = crypto.randomUUID();
  readonly log: (line: string) => void;
  #seq = 1;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.settings = defaultSettings(options);
    this.log = options.log ?? (() => {});
    this.webhooks = new Webhooks(
      this.timers,
      this.faults,
      this.settings,
      (r) => this.log(describeAttempt(r)),
    );
    this.phones = new Phones(this.timers, this.settings, (message) => {
      const channel = this.channels.get(message.channel);
      if (channel?.provider === "evolution") evolutionReceipt(this, channel, message);
      if (channel?.provider === "cloud") cloudReceipt(this, channel, message);
    });
  }

  /** Starts the record of one send request; the route fills in what became of it. */
  recordSend(channel: Channel, path: string, to: string, body: unknown): SentRecord {
    const record: SentRecord = {
      seq: this.#seq++,
      channel: channel.key,
      provider: channel.provider,
      path,
      to,
      body,
      at: Date.now(),
      accepted: false,
      status: null,
    };
    boundedPush(this.sent, record);
    return record;
  }

  /** Forgets all traffic, customers and faults; channels stay registered unless `channels` is set. */
  reset(channels = false): void {
    if (channels) this.channels.clear();
    this.faults.clear();
    this.media.clear();
    this.phones.clear();
    this.webhooks.clear();
    this.sent.length = 0;
    Object.assign(this.settings, defaultSettings(this.options));
  }

  async stop(): Promise<void> {
    this.timers.stop();
    await this.webhooks.settle();
  }
}

function describeAttempt(r: DeliveryRecord): string {
  const outcome = r.status ?? r.error;
  return `webhook ${r.label} → ${r.url} ${outcome} (${r.ms} ms${
    r.attempt > 1 ? `, attempt ${r.attempt}` : ""
  })`;
}
