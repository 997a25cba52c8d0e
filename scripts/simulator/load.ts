// The load generator: N customers each writing R messages per second for T seconds, spread over the given
// channels, through a running simulator's control API (so each message reaches our product as a real webhook).
// It reports every message id it sent, so a test can check that each arrived exactly once.
//
// CLI: deno run -A scripts/simulator/load.ts [--url http://127.0.0.1:54330] --channel evo1[,cloud1] \
//        --customers N --rate R --seconds T [--concurrency 64]   → prints the JSON summary
export interface LoadOptions {
  simulatorUrl: string;
  /** Channel keys (Evolution instance names, Cloud API phone number ids); customer i writes to channel i mod n. */
  channels: string[];
  customers: number;
  /** Messages per second per customer. */
  rate: number;
  seconds: number;
  /** Most requests in flight at once. */
  concurrency?: number;
  /** Customer numbers are this prefix followed by the customer's index, 13 digits in all. */
  phonePrefix?: string;
}

export interface SentMessage {
  channel: string;
  phone: string;
  id: string;
  text: string;
  at: number;
}

export interface LoadSummary {
  channels: string[];
  customers: number;
  rate: number;
  seconds: number;
  planned: number;
  sent: number;
  failed: number;
  elapsedMs: number;
  messages: SentMessage[];
  errors: { channel: string; phone: string; error: string }[];
}

export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const { simulatorUrl, channels, customers, rate, seconds } = options;
  if (!channels.length || customers < 1 || rate <= 0 || seconds <= 0) {
    throw new Error("load needs at least one channel, one customer, a rate and a duration");
  }
  const concurrency = options.concurrency ?? 64;
  const prefix = options.phonePrefix ?? "5511970";
  const planned = Math.round(customers * rate * seconds);
  const intervalMs = 1000 / (customers * rate);
  const run = crypto.randomUUID().slice(0, 8);
  const summary: LoadSummary = {
    channels,
    customers,
    rate,
    seconds,
    planned,
    sent: 0,
    failed: 0,
    elapsedMs: 0,
    messages: [],
    errors: [],
  };

  const sendOne = async (k: number) => {
    const customer = k % customers;
    const channel = channels[customer % channels.length];
    const phone = `${prefix}${String(customer + 1).padStart(13 - prefix.length, "0")}`;
    const text = `carga ${run} #${k + 1}`;
    try {
      const res = await fetch(
        `${simulatorUrl}/_control/customers/${encodeURIComponent(channel)}/${phone}/send`,
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) },
      );
      const body = await res.json();
      if (!res.ok) throw new Error(`${res.status} ${body.error?.message ?? JSON.stringify(body)}`);
      summary.messages.push({ channel, phone, id: body.id, text, at: body.at });
      summary.sent++;
    } catch (e) {
      summary.errors.push({ channel, phone, error: e instanceof Error ? e.message : String(e) });
      summary.failed++;
    }
  };

  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let k = 0; k < planned; k++) {
    const wait = started + k * intervalMs - performance.now();
    if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const request: Promise<void> = sendOne(k).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}

if (import.meta.main) {
  const values = (name: string) =>
    Deno.args.flatMap((a, i) =>
      a === `--${name}` ? [Deno.args[i + 1]] : a.startsWith(`--${name}=`) ? [a.slice(name.length + 3)] : []
    ).filter((v) => v !== undefined);
  const number = (name: string, fallback?: number) => {
    const value = Number(values(name)[0] ?? fallback);
    if (!Number.isFinite(value)) {
      console.error(`--${name} needs a number`);
      Deno.exit(2);
    }
    return value;
  };
  const port = Deno.env.get("ATENDE_SIMULATOR_PORT") ?? "54330";
  const summary = await runLoad({
    simulatorUrl: values("url")[0] ?? `http://127.0.0.1:${port}`,
    channels: values("channel").flatMap((c) => c.split(",")).filter(Boolean),
    customers: number("customers", 1),
    rate: number("rate", 1),
    seconds: number("seconds", 1),
    concurrency: number("concurrency", 64),
  });
  console.log(JSON.stringify(summary));
  Deno.exit(summary.failed ? 1 : 0);
}
