// Fault injection, per channel: what goes wrong with our product's sends (latency, timeouts, 5xx, rate limits,
// provider errors) and with the webhooks the simulator posts back (duplicates, delays, reordering). Each fault can
// be limited to one customer (`to`), to a number of uses (`count`), and webhook faults to one event (`event`).
import { z } from "npm:zod@4.6.7";
import { digits } from "./encoding.ts";
import type { Channel } from "./model.ts";

const scope = {
  /** Applies this many times (then stays listed, used up); unlimited when absent. */
  count: z.number().int().positive().optional(),
  /** Only sends to (or webhooks about) this customer number. */
  to: z.string().regex(/\d/).optional(),
};
/** Cloud API errors come back in the send's answer ("response") or later as a `failed` status ("status"). */
const delivery = z.enum(["response", "status"]).optional();
/** Only webhooks of this event: Evolution's event name ("messages.update"), or "messages" / "statuses". */
const event = z.string().optional();

const fault = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, ...scope }).strict();

export const faultSpec = z.discriminatedUnion("kind", [
  fault({ kind: z.literal("latency"), ms: z.number().int().min(0) }),
  /** The answer is held back `ms` (default: until the simulator stops); `accepted` sends still go out. */
  fault({
    kind: z.literal("timeout"),
    accepted: z.boolean().default(true),
    ms: z.number().int().min(0).optional(),
  }),
  fault({ kind: z.literal("server_error"), status: z.number().int().min(500).max(599).default(500) }),
  /** Evolution: HTTP 429. Cloud API: Graph error 130429 (HTTP 400 as Meta documents it, unless `status` says). */
  fault({ kind: z.literal("rate_limit"), status: z.number().int().min(400).max(599).optional() }),
  fault({ kind: z.literal(["pair_rate_limit", "window_closed", "undeliverable"]), delivery }),
  fault({ kind: z.literal("not_on_whatsapp") }),
  fault({ kind: z.literal("webhook_duplicate"), times: z.number().int().min(2).default(2), event }),
  fault({ kind: z.literal("webhook_delay"), ms: z.number().int().min(0), event }),
  /** Holds the next `size` webhooks and posts them in reverse order (or whatever arrived after `maxWaitMs`). */
  fault({
    kind: z.literal("webhook_reorder"),
    size: z.number().int().min(2).default(2),
    maxWaitMs: z.number().int().min(0).default(2000),
    event,
  }),
]);

export type FaultSpec = z.infer<typeof faultSpec>;
export type Fault = FaultSpec & { id: number; channel: string; hits: number };
type Kind = FaultSpec["kind"];
export type SendOutcome = Exclude<Fault, { kind: "latency" | `webhook_${string}` }>;
export type WebhookFault = Extract<Fault, { kind: `webhook_${string}` }>;

const onlyFor: Partial<Record<Kind, Channel["provider"]>> = {
  pair_rate_limit: "cloud",
  window_closed: "cloud",
  undeliverable: "cloud",
  not_on_whatsapp: "evolution",
};

export class FaultError extends Error {}

const isWebhookFault = (f: Fault): f is WebhookFault => f.kind.startsWith("webhook_");

export class Faults {
  #faults: Fault[] = [];
  #nextId = 1;

  add(channel: Channel, spec: FaultSpec): Fault {
    const only = onlyFor[spec.kind];
    if (only && only !== channel.provider) {
      throw new FaultError(
        `${spec.kind} is a ${only} fault; ${channel.key} is a ${channel.provider} channel`,
      );
    }
    const fault = { ...spec, id: this.#nextId++, channel: channel.key, hits: 0 } as Fault;
    this.#faults.push(fault);
    return fault;
  }

  list(channel?: string): Fault[] {
    return this.#faults.filter((f) => !channel || f.channel === channel);
  }

  clear(channel?: string): number {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => channel && f.channel !== channel);
    return before - this.#faults.length;
  }

  /** The faults one send meets: all latencies add up, and the first other fault decides the outcome. */
  forSend(channel: string, to: string): { latencyMs: number; outcome?: SendOutcome } {
    const matching = this.#matching(channel, to).filter((f) => !isWebhookFault(f));
    let latencyMs = 0;
    for (const f of matching) {
      if (f.kind === "latency") latencyMs += this.#use(f).ms;
    }
    const outcome = matching.find((f): f is SendOutcome => f.kind !== "latency");
    return { latencyMs, outcome: outcome && this.#use(outcome) };
  }

  forWebhook(channel: string, customer: string, label: string): WebhookFault[] {
    return this.#matching(channel, customer)
      .filter(isWebhookFault)
      .filter((f) => !f.event || f.event === label)
      .map((f) => this.#use(f));
  }

  #matching(channel: string, customer: string): Fault[] {
    return this.#faults.filter((f) =>
      f.channel === channel && (f.count === undefined || f.hits < f.count) &&
      (!f.to || digits(f.to) === digits(customer))
    );
  }

  #use<F extends Fault>(fault: F): F {
    fault.hits++;
    return fault;
  }
}
