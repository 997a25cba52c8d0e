// The control API (`/_control/…`, JSON over HTTP): what tests, benchmarks and the phone page use to set the
// simulator up and look inside it. Errors are `{error:{code, message}}`.
import { z } from "npm:zod@4.6.7";
import { json } from "../local/http.ts";
import { BadMedia, customerMessage, customerSends } from "./customers.ts";
import { cuid, digits, sha256, utf8 } from "./encoding.ts";
import { EVOLUTION_EVENTS } from "./evolution-events.ts";
import { FaultError, faultSpec } from "./faults.ts";
import type { Channel, CloudChannel, EvolutionChannel } from "./model.ts";
import type { Sim } from "./sim.ts";

class ControlError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const evolutionChannel = z.object({
  instance: z.string().min(1),
  apikey: z.string().min(1),
  /** The instance's own number; derived from the instance name when absent. */
  number: z.string().regex(/^\d{8,15}$/).optional(),
  instanceId: z.string().optional(),
  /** The same object `/webhook/set` takes; an empty `events` list means every event. */
  webhook: z.object({
    enabled: z.boolean(),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
    byEvents: z.boolean().default(false),
    base64: z.boolean().default(false),
    events: z.array(z.enum(EVOLUTION_EVENTS)).default([]),
  }).optional(),
}).strict();

const cloudChannel = z.object({
  phone_number_id: z.string().regex(/^\d+$/),
  display_phone_number: z.string().regex(/^\d{8,15}$/),
  access_token: z.string().min(1),
  app_secret: z.string().min(1),
  webhook_url: z.string().url(),
  waba_id: z.string().regex(/^\d+$/),
  /** When given, the callback URL is verified first, as Meta does when it is saved (GET with hub.challenge). */
  verify_token: z.string().optional(),
}).strict();

const settingsPatch = z.object({
  receiptDelayMs: z.number().int().min(0).optional(),
  readOn: z.enum(["delivery", "view", "never"]).optional(),
  webhookTimeoutMs: z.number().int().positive().optional(),
  retry: z.object({
    attempts: z.number().int().min(1).optional(),
    initialDelayMs: z.number().int().min(0).optional(),
    maxDelayMs: z.number().int().min(0).optional(),
  }).strict().optional(),
}).strict();

const customerPatch = z.object({
  name: z.string().min(1).optional(),
  /** When the customer last wrote, ms since the epoch (null: never), e.g. to close the 24 h window. */
  lastInboundAt: z.number().int().nullable().optional(),
}).strict();

const faultBody = z.union([faultSpec, z.object({ faults: z.array(faultSpec) }).strict()]);

async function parse<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await req.text();
  let value: unknown;
  try {
    value = text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new ControlError(400, "bad_json", "the body is not JSON");
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ControlError(400, "invalid", z.prettifyError(result.error));
  return result.data;
}

function channelOf(sim: Sim, key: string): Channel {
  const channel = sim.channels.get(decodeURIComponent(key));
  if (!channel) throw new ControlError(404, "no_channel", `no channel ${key} is registered`);
  return channel;
}

function phoneOf(raw: string): string {
  const phone = digits(decodeURIComponent(raw));
  if (!/^\d{8,15}$/.test(phone)) throw new ControlError(400, "bad_phone", `${raw} is not a phone number`);
  return phone;
}

function register(sim: Sim, channel: Channel): Response {
  const existing = sim.channels.get(channel.key);
  if (existing && existing.provider !== channel.provider) {
    throw new ControlError(409, "taken", `${channel.key} is already a ${existing.provider} channel`);
  }
  sim.channels.set(channel.key, channel);
  return json(channel, 201);
}

/** A stable São Paulo mobile number for an instance registered without one. */
const numberFor = (instance: string) =>
  `55119${Array.from(sha256(utf8(instance)).slice(0, 8), (b) => b % 10).join("")}`;

async function registerEvolution(sim: Sim, req: Request): Promise<Response> {
  const body = await parse(req, evolutionChannel);
  const existing = sim.channels.get(body.instance) as EvolutionChannel | undefined;
  const instanceId = body.instanceId ?? existing?.instanceId ?? crypto.randomUUID();
  const now = new Date().toISOString();
  const webhook = body.webhook && {
    id: existing?.webhook?.id ?? cuid(),
    url: body.webhook.url,
    headers: body.webhook.headers,
    enabled: body.webhook.enabled,
    events: body.webhook.enabled ? (body.webhook.events.length ? body.webhook.events : EVOLUTION_EVENTS) : [],
    webhookByEvents: body.webhook.byEvents,
    webhookBase64: body.webhook.base64,
    createdAt: existing?.webhook?.createdAt ?? now,
    updatedAt: now,
    instanceId,
  };
  return register(sim, {
    provider: "evolution",
    key: body.instance,
    instance: body.instance,
    apikey: body.apikey,
    instanceId,
    number: body.number ?? numberFor(body.instance),
    webhook: webhook ?? existing?.webhook ?? null,
  });
}

async function registerCloud(sim: Sim, req: Request): Promise<Response> {
  const body = await parse(req, cloudChannel);
  if (body.verify_token !== undefined) await verifyCallback(body.webhook_url, body.verify_token);
  const channel: CloudChannel = {
    provider: "cloud",
    key: body.phone_number_id,
    phoneNumberId: body.phone_number_id,
    displayPhoneNumber: body.display_phone_number,
    accessToken: body.access_token,
    appSecret: body.app_secret,
    webhookUrl: body.webhook_url,
    wabaId: body.waba_id,
  };
  return register(sim, channel);
}

/** Meta's verification request: the endpoint must answer 200 with exactly the challenge. */
async function verifyCallback(webhookUrl: string, verifyToken: string): Promise<void> {
  const challenge = String(Math.floor(Math.random() * 2 ** 31));
  const url = new URL(webhookUrl);
  url.searchParams.set("hub.mode", "subscribe");
  url.searchParams.set("hub.challenge", challenge);
  url.searchParams.set("hub.verify_token", verifyToken);
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((e) => e as Error);
  const text = res instanceof Response ? await res.text() : "";
  if (!(res instanceof Response) || res.status !== 200 || text !== challenge) {
    const got = res instanceof Response ? `${res.status} ${JSON.stringify(text.slice(0, 200))}` : String(res);
    throw new ControlError(
      400,
      "verification_failed",
      `the callback URL did not echo hub.challenge: got ${got}`,
    );
  }
}

type Handler = (sim: Sim, req: Request, params: string[], url: URL) => Promise<Response> | Response;

const routes: [string, RegExp, Handler][] = [
  ["GET", /^\/channels$/, (sim) => json([...sim.channels.values()])],
  ["POST", /^\/channels\/evolution$/, registerEvolution],
  ["POST", /^\/channels\/cloud$/, registerCloud],
  [
    "GET",
    /^\/faults(?:\/([^/]+))?$/,
    (sim, _req, [key]) => json(sim.faults.list(key && channelOf(sim, key).key)),
  ],
  ["POST", /^\/faults\/([^/]+)$/, async (sim, req, [key]) => {
    const channel = channelOf(sim, key);
    const body = await parse(req, faultBody);
    const specs = "faults" in body ? body.faults : [body];
    try {
      return json(specs.map((spec) => sim.faults.add(channel, spec)), 201);
    } catch (e) {
      if (e instanceof FaultError) throw new ControlError(400, "wrong_provider", e.message);
      throw e;
    }
  }],
  ["DELETE", /^\/faults(?:\/([^/]+))?$/, (sim, _req, [key]) => {
    return json({ cleared: sim.faults.clear(key && channelOf(sim, key).key) });
  }],
  [
    "GET",
    /^\/customers\/([^/]+)$/,
    (sim, _req, [key]) => json(sim.phones.customers(channelOf(sim, key).key)),
  ],
  ["GET", /^\/customers\/([^/]+)\/([^/]+)$/, (sim, _req, [key, raw]) => {
    const channel = channelOf(sim, key);
    const phone = phoneOf(raw);
    return json({
      customer: sim.phones.customer(channel.key, phone),
      messages: sim.phones.chat(channel.key, phone),
    });
  }],
  ["PUT", /^\/customers\/([^/]+)\/([^/]+)$/, async (sim, req, [key, raw]) => {
    const customer = sim.phones.customer(channelOf(sim, key).key, phoneOf(raw));
    return json(Object.assign(customer, await parse(req, customerPatch)));
  }],
  ["POST", /^\/customers\/([^/]+)\/([^/]+)\/send$/, async (sim, req, [key, raw]) => {
    const channel = channelOf(sim, key);
    const phone = phoneOf(raw);
    const input = await parse(req, customerMessage);
    try {
      return json(customerSends(sim, channel, phone, input), 201);
    } catch (e) {
      if (e instanceof BadMedia) throw new ControlError(400, "bad_media", e.message);
      throw e;
    }
  }],
  ["POST", /^\/customers\/([^/]+)\/([^/]+)\/read$/, (sim, _req, [key, raw]) => {
    return json({ read: sim.phones.read(channelOf(sim, key).key, phoneOf(raw)) });
  }],
  ["GET", /^\/messages\/([^/]+)$/, (sim, _req, [id]) => {
    const message = sim.phones.message(decodeURIComponent(id));
    if (!message) throw new ControlError(404, "no_message", `no message ${id}`);
    return json(message);
  }],
  ["GET", /^\/sent$/, (sim, _req, _params, url) => {
    const channel = url.searchParams.get("channel");
    const to = url.searchParams.get("to");
    const acceptedOnly = url.searchParams.get("accepted");
    return json(sim.sent.filter((s) =>
      (!channel || s.channel === channel) && (!to || s.to === digits(to)) &&
      (acceptedOnly === null || String(s.accepted) === acceptedOnly)
    ));
  }],
  ["GET", /^\/deliveries$/, (sim, _req, _params, url) => {
    const channel = url.searchParams.get("channel");
    const label = url.searchParams.get("label");
    return json(
      sim.webhooks.log.filter((d) => (!channel || d.channel === channel) && (!label || d.label === label)),
    );
  }],
  ["GET", /^\/settings$/, (sim) => json(sim.settings)],
  ["PATCH", /^\/settings$/, async (sim, req) => {
    const { retry, ...rest } = await parse(req, settingsPatch);
    Object.assign(sim.settings, rest);
    Object.assign(sim.settings.retry, retry);
    return json(sim.settings);
  }],
  ["POST", /^\/reset$/, async (sim, req) => {
    const { channels } = await parse(req, z.object({ channels: z.boolean().default(false) }).strict());
    sim.reset(channels);
    return json({ reset: true, channels });
  }],
];

export async function controlApi(sim: Sim, req: Request, path: string, url: URL): Promise<Response> {
  const sub = path.slice("/_control".length) || "/";
  try {
    for (const [method, pattern, handler] of routes) {
      const m = sub.match(pattern);
      if (m && method === req.method) return await handler(sim, req, m.slice(1), url);
    }
    throw new ControlError(404, "not_found", `no control route ${req.method} ${path}`);
  } catch (e) {
    if (e instanceof ControlError) return json({ error: { code: e.code, message: e.message } }, e.status);
    throw e;
  }
}
