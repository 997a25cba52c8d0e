// Outbound benchmark: an agent's messages from POST /functions/v1/messages (202) to the provider's acceptance at
// the WhatsApp simulator, at fixed rates and at full speed, across Evolution and Cloud API conversations. The
// baseline, measured in the same run: the same sends made straight to the simulator through the product's own
// provider adapters, with no API, queue or database in between. Every message must reach the provider exactly once.
// Starts its own stack with the simulator (receipts at once, read on delivery) on port base 55650.
import type postgres from "npm:postgres@3.4.9";
import type { StackConfig } from "../local/config.ts";
import type { SendContext } from "../../supabase/functions/_shared/outbound.ts";
import { sendCloud } from "../../supabase/functions/_shared/providers/send-cloud.ts";
import { sendEvolution } from "../../supabase/functions/_shared/providers/send-evolution.ts";
import { DEMO } from "../../supabase/functions/tests/payloads.ts";
import {
  type Latency,
  latencyOf,
  ms,
  perSecond,
  printTable,
  printTargets,
  ratio,
  type Target,
  until,
} from "./_figures.ts";
import { closedLoop, expectStatus, type Fire, type LoadResult, openLoop } from "./_load.ts";
import { type BenchStack, startBenchStack, userToken } from "./_stack.ts";

const PORT_BASE = 55650;
/** The simulator's port, relative to the stack's. */
const SIMULATOR_OFFSET = 9;
const CUSTOMERS_PER_CHANNEL = 100;
const RATES = [50, 100];
const STEP_SECONDS = 8;
const MAX_IN_FLIGHT = 16;
const CHANNEL_KEYS = { evolution: DEMO.evolutionInstance, cloud: DEMO.cloudPhoneNumberId };

type Provider = keyof typeof CHANNEL_KEYS;

interface Conversation {
  id: string;
  phone: string;
  provider: Provider;
}

/** The simulator's record of one send request (GET /_control/sent). */
interface SentRecord {
  body: unknown;
  at: number;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable with the simulator's Date.now(). */
const wallNow = () => performance.timeOrigin + performance.now();

async function control(simulator: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${simulator}/_control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** Customers write first, through their phones, which opens a conversation (and Cloud's 24 h window) for each. */
async function openConversations(stack: BenchStack, simulator: string): Promise<Conversation[]> {
  const customers = (["evolution", "cloud"] as const).flatMap((provider, p) =>
    Array.from({ length: CUSTOMERS_PER_CHANNEL }, (_, i) => ({
      provider,
      phone: `55${61 + p}9${String(i).padStart(8, "0")}`,
    }))
  );
  for (let i = 0; i < customers.length; i += 20) {
    await Promise.all(
      customers.slice(i, i + 20).map((c) =>
        control(simulator, "POST", `/customers/${CHANNEL_KEYS[c.provider]}/${c.phone}/send`, {
          text: "Oi, preciso de ajuda com meu pedido",
        })
      ),
    );
  }
  const phones = customers.map((c) => c.phone);
  const find = () =>
    stack.sql<{ id: string; phone: string; provider: Provider }[]>`
      select c.id, ct.phone, ch.provider from public.conversations c
      join public.contacts ct on ct.id = c.contact_id join public.channels ch on ch.id = c.channel_id
      where ct.phone = any(${phones})`;
  let found: Conversation[] = [];
  await until(async () => (found = await find()).length === customers.length, 60_000, 250);
  if (found.length !== customers.length) {
    throw new Error(
      `only ${found.length} of ${customers.length} customers' conversations opened within 60 s`,
    );
  }
  return found;
}

// ── the product's path: POST /messages → queue → processor → provider ──

interface Step {
  label: string;
  posted: LoadResult;
  accepted: Latency;
  toProvider: Latency;
  /** Messages per second from the first POST to the last acceptance at the provider. */
  throughput: number;
  /** Messages stored (a POST that timed out on our side may still have been stored). */
  stored: number;
  sent: number;
  /** Stored but never accepted by the provider, or failed. */
  missing: number;
  duplicated: number;
}

const MARKER = /bench-out-(\w+)-(\d+)/;

/** Sends of one tagged run seen at the simulator, by message index: when each was accepted, and how often. */
async function sendsAtSimulator(simulator: string, tag: string) {
  const records = await control(simulator, "GET", "/sent?accepted=true") as SentRecord[];
  const seen = new Map<number, number[]>();
  for (const r of records) {
    const m = JSON.stringify(r.body).match(MARKER);
    if (m?.[1] !== tag) continue;
    const i = Number(m[2]);
    seen.set(i, [...(seen.get(i) ?? []), r.at]);
  }
  return seen;
}

function agentSender(cfg: StackConfig, token: string, conversations: Conversation[], tag: string) {
  const url = `${cfg.apiUrl}/functions/v1/messages`;
  const headers = {
    authorization: `Bearer ${token}`,
    apikey: cfg.anonKey,
    "content-type": "application/json",
  };
  const postedAt: number[] = [];
  const fire: Fire = async (i) => {
    const body = JSON.stringify({
      conversation_id: conversations[i % conversations.length].id,
      client_id: crypto.randomUUID(),
      body: `Olá! Aqui é a Ana. bench-out-${tag}-${i}`,
    });
    postedAt[i] = wallNow();
    await expectStatus(202, url, { method: "POST", headers, body });
  };
  return { fire, postedAt };
}

async function agentStep(
  stack: BenchStack,
  simulator: string,
  token: string,
  conversations: Conversation[],
  label: string,
  tag: string,
  run: (fire: Fire) => Promise<LoadResult>,
): Promise<Step> {
  const sender = agentSender(stack.cfg, token, conversations, tag);
  const posted = await run(sender.fire);
  // Polling the database is cheap; the simulator's full send log is read once, at the end.
  const outcomes = () =>
    stack.sql<{ stored: number; pending: number; failed: number }[]>`
      select count(*)::int as stored, count(*) filter (where status = 'pending')::int as pending,
        count(*) filter (where status = 'failed')::int as failed
      from public.messages where direction = 'outbound' and body like ${`%bench-out-${tag}-%`}`
      .then(([r]) => r);
  await until(async () => (await outcomes()).pending === 0, 60_000, 250);
  const { stored, failed } = await outcomes();
  const seen = await sendsAtSimulator(simulator, tag);
  const latencies: number[] = [];
  let last = 0, duplicated = 0;
  for (const [i, ats] of seen) {
    if (ats.length > 1) duplicated++;
    latencies.push(ats[0] - sender.postedAt[i]);
    last = Math.max(last, ats[0]);
  }
  const first = Math.min(...sender.postedAt.filter((t) => t !== undefined));
  return {
    label,
    posted,
    accepted: latencyOf(posted.latencies),
    toProvider: latencyOf(latencies),
    throughput: seen.size / ((last - first) / 1000),
    stored,
    sent: seen.size,
    missing: stored - seen.size + failed,
    duplicated,
  };
}

// ── the baseline: the provider call alone ──

/** What app.begin_send hands the adapters, read once per channel from the same tables. */
async function sendContexts(sql: postgres.Sql, conversations: Conversation[]): Promise<SendContext[]> {
  const channels = await sql<
    Pick<SendContext, "channel_id" | "provider" | "external_id" | "base_url" | "api_key" | "access_token">[]
  >`
    select c.id as channel_id, c.provider, c.external_id, c.base_url, s.api_key, s.access_token
    from public.channels c join app.channel_secrets s on s.channel_id = c.id
    where c.id in (${DEMO.evolutionChannel}, ${DEMO.cloudChannel})`;
  return conversations.map((c) => ({
    ...channels.find((ch) => ch.provider === c.provider)!,
    id: crypto.randomUUID(),
    type: "text",
    body: null,
    media: null,
    template: null,
    reply_to_provider_id: null,
    phone: c.phone,
    lid: null,
    bsuid: null,
    group_jid: null,
  }));
}

function directSender(contexts: SendContext[], tag: string): Fire {
  return async (i) => {
    const ctx = { ...contexts[i % contexts.length], body: `Olá! Aqui é a Ana. bench-out-${tag}-${i}` };
    const result = ctx.provider === "cloud" ? await sendCloud(ctx) : await sendEvolution(ctx);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.title}`);
  };
}

// ── the run ──

async function main() {
  const stack = await startBenchStack("outbound", PORT_BASE, (base) => ({
    ATENDE_SIMULATOR: "1",
    ATENDE_SIMULATOR_PORT: String(base + SIMULATOR_OFFSET),
    ATENDE_SIMULATOR_RECEIPT_DELAY_MS: "0",
    ATENDE_SIMULATOR_READ_ON: "delivery",
  }));
  try {
    const simulator = `http://127.0.0.1:${stack.cfg.apiPort + SIMULATOR_OFFSET}`;
    const conversations = await openConversations(stack, simulator);
    console.log(`${conversations.length} conversations open (Evolution and Cloud API)`);
    const token = await userToken(stack.cfg, DEMO.ana);
    const step = (label: string, tag: string, run: (fire: Fire) => Promise<LoadResult>) =>
      agentStep(stack, simulator, token, conversations, label, tag, run);

    await step("warm-up", "warm", (fire) => openLoop(20, 2, fire));
    const steps: Step[] = [];
    for (const rate of RATES) {
      steps.push(await step(`${rate}/s`, `r${rate}`, (fire) => openLoop(rate, STEP_SECONDS, fire)));
    }
    steps.push(
      await step(
        `max, ${MAX_IN_FLIGHT} in flight`,
        "max",
        (fire) => closedLoop(MAX_IN_FLIGHT, STEP_SECONDS, fire),
      ),
    );

    const contexts = await sendContexts(stack.sql, conversations);
    const direct = {
      fixed: await openLoop(RATES[RATES.length - 1], STEP_SECONDS, directSender(contexts, "base")),
      max: await closedLoop(MAX_IN_FLIGHT, STEP_SECONDS, directSender(contexts, "basemax")),
    };
    report(steps, direct);
  } finally {
    await stack.stop();
  }
}

function report(steps: Step[], direct: { fixed: LoadResult; max: LoadResult }) {
  const fixedRate = RATES[RATES.length - 1];
  const baseFixed = latencyOf(direct.fixed.latencies);
  const baseMax = latencyOf(direct.max.latencies);
  printTable(`Outbound, agent POST /messages → accepted by the provider (${STEP_SECONDS} s per row)`, [
    [
      "load",
      "stored",
      "sent",
      "202 p50",
      "202 p99",
      "→ sent p50",
      "→ sent p99",
      "throughput",
      "errors",
      "missing",
      "twice",
    ],
    ...steps.map((s) => [
      s.label,
      String(s.stored),
      String(s.sent),
      ms(s.accepted.p50),
      ms(s.accepted.p99),
      ms(s.toProvider.p50),
      ms(s.toProvider.p99),
      perSecond(s.throughput),
      s.posted.errors ? `${s.posted.errors} (${s.posted.errorReasons.join("; ")})` : "0",
      String(s.missing),
      String(s.duplicated),
    ]),
  ]);
  const describe = (label: string, r: LoadResult, l: Latency) => [
    label,
    String(r.ok),
    ms(l.p50),
    ms(l.p99),
    perSecond(r.okRate),
    r.errors ? `${r.errors} (${r.errorReasons.join("; ")})` : "0",
  ];
  printTable("Baseline: the same sends straight to the simulator through the provider adapters", [
    ["load", "sent", "p50", "p99", "throughput", "errors"],
    describe(`${fixedRate}/s`, direct.fixed, baseFixed),
    describe(`max, ${MAX_IN_FLIGHT} in flight`, direct.max, baseMax),
  ]);
  const atFixed = steps.find((s) => s.label === `${fixedRate}/s`)!;
  const max = steps[steps.length - 1];
  console.log(
    `\nours vs baseline: p99 to sent at ${fixedRate}/s ${ms(atFixed.toProvider.p99)} vs ${
      ms(baseFixed.p99)
    } ` +
      `(×${(atFixed.toProvider.p99 / baseFixed.p99).toFixed(1)}); max throughput ${
        perSecond(max.throughput)
      } vs ` +
      `${perSecond(direct.max.okRate)} (${ratio(max.throughput, direct.max.okRate)})`,
  );
  const targets: Target[] = [
    {
      name: "every stored message reaches the provider",
      figure: `${steps.reduce((n, s) => n + s.sent, 0)} of ${steps.reduce((n, s) => n + s.stored, 0)}`,
      target: "all",
      met: steps.every((s) => s.missing === 0),
    },
    {
      name: "no message sent twice",
      figure: `${steps.reduce((n, s) => n + s.duplicated, 0)} sent twice`,
      target: "none",
      met: steps.every((s) => s.duplicated === 0),
    },
    {
      name: "no failed POST",
      figure: `${steps.reduce((n, s) => n + s.posted.errors, 0)} failed`,
      target: "none",
      met: steps.every((s) => s.posted.errors === 0),
    },
  ];
  printTargets(targets);
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    console.error("outbound benchmark could not run:", e);
    Deno.exit(1);
  }
}
