// Integrators connect WhatsApp numbers (admins of the channel's tenant; SQL checks it):
//   POST /                         create an Evolution or Cloud API channel; answers its generated secrets once
//                                  and the setup to paste into the provider
//   GET  /<id>                     the channel and its setup, secrets masked
//   POST /<id>/secrets             {secret, value?, grace_seconds?}: rotate or replace one secret
//   POST /<id>/test-event          {phone?, text?, name?}: a real-format customer message, end to end
//   GET  /<id>/test-event/<msg id> how far it got: sent, received, applied or dead_lettered
import { z } from "npm:zod@4.6.7";
import { type ChannelRow, type ChannelSecrets, channelSetup } from "../_shared/channel-setup.ts";
import { db } from "../_shared/db.ts";
import { HttpError, notFound } from "../_shared/errors.ts";
import { json, serve } from "../_shared/http.ts";
import { sendTestEvent } from "../_shared/test-event.ts";
import { fromPostgrest, userClient } from "../_shared/user-client.ts";
import { readJson } from "../_shared/validate.ts";

const secret = z.string().trim().min(1).max(1000);
const common = {
  tenant_id: z.uuid(),
  name: z.string().trim().min(1).max(100),
  default_department_id: z.uuid().optional(),
};
const CreateChannel = z.discriminatedUnion("provider", [
  z.object({
    ...common,
    provider: z.literal("evolution"),
    instance_name: z.string().trim().min(1).max(200),
    base_url: z.url({ protocol: /^https?$/ }),
    api_key: secret,
  }),
  z.object({
    ...common,
    provider: z.literal("cloud"),
    phone_number_id: z.string().regex(/^[0-9]{1,32}$/),
    waba_id: z.string().regex(/^[0-9]{1,32}$/),
    access_token: secret,
    app_secret: secret,
    verify_token: secret.optional(),
    // only to point the channel at another Graph API address (the simulator); Meta's by default
    base_url: z.url({ protocol: /^https?$/ }).optional(),
  }),
]);
const SetSecret = z.object({
  secret: z.enum(["webhook_secret", "api_key", "app_secret", "access_token", "verify_token"]),
  value: secret.optional(),
  grace_seconds: z.number().int().min(0).max(604_800).default(86_400),
});
const TestEvent = z.object({
  // a number no customer has (area code 00), so the test conversation stands apart
  phone: z.string().regex(/^[0-9]{8,15}$/).default("5500000000000"),
  text: z.string().trim().min(1).max(1000).default("Mensagem de teste do Atende"),
  name: z.string().trim().min(1).max(100).default("Teste do Atende"),
});

async function rpc<T>(req: Request, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await userClient(req).rpc(fn, args);
  if (error) throw fromPostgrest(error);
  return data as T;
}

async function create(req: Request) {
  const input = await readJson(req, CreateChannel);
  const cloud = input.provider === "cloud";
  const created = await rpc<{ channel: ChannelRow; secrets: ChannelSecrets }>(req, "create_channel", {
    tenant_id: input.tenant_id,
    provider: input.provider,
    name: input.name,
    external_id: cloud ? input.phone_number_id : input.instance_name,
    base_url: input.base_url ?? null,
    waba_id: cloud ? input.waba_id : null,
    default_department_id: input.default_department_id ?? null,
    secrets: cloud
      ? { access_token: input.access_token, app_secret: input.app_secret, verify_token: input.verify_token }
      : { api_key: input.api_key },
  });
  return json({ ...created, setup: channelSetup(created.channel, created.secrets) }, 201);
}

async function show(req: Request, id: string) {
  const found = await rpc<{ channel: ChannelRow; secrets: ChannelSecrets }>(req, "channel_setup", {
    channel_id: id,
  });
  return json({ ...found, setup: channelSetup(found.channel, found.secrets) });
}

async function setSecret(req: Request, id: string) {
  const input = await readJson(req, SetSecret);
  const set = await rpc<
    { channel: ChannelRow; secret: string; value?: string; previous_valid_until?: string }
  >(
    req,
    "set_channel_secret",
    { channel_id: id, secret: input.secret, value: input.value ?? null, grace_seconds: input.grace_seconds },
  );
  const { channel, ...rest } = set;
  // A generated secret (webhook secret, verify token) changes what the provider must be told.
  const shown: ChannelSecrets = { [set.secret]: set.value };
  return json({ ...rest, setup: set.value ? channelSetup(channel, shown) : undefined });
}

async function testEvent(req: Request, id: string) {
  const input = await readJson(req, TestEvent);
  // As the admin first (the SQL checks the role); only then read the secrets the event is signed with.
  const { channel } = await rpc<{ channel: ChannelRow }>(req, "channel_setup", { channel_id: id });
  const [secrets] = await db()<{ webhook_secret: string | null; app_secret: string | null }[]>`
    select webhook_secret, app_secret from app.channel_secrets where channel_id = ${channel.id}`;
  const signing = channel.provider === "evolution" ? secrets?.webhook_secret : secrets?.app_secret;
  if (!signing) {
    throw new HttpError(
      409,
      "channel_not_configured",
      "This channel has no webhook secret or App Secret yet.",
    );
  }
  const result = await sendTestEvent({ ...channel, ...secrets }, input);
  return json({ test_event: result }, 202);
}

async function testEventStage(req: Request, id: string, providerMessageId: string) {
  return json(
    await rpc(req, "channel_test_event", {
      channel_id: id,
      provider_message_id: decodeURIComponent(providerMessageId),
    }),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const handler = serve("channels", (req) => {
  const [, , id, action = "", messageId] = new URL(req.url).pathname.split("/");
  if (!id && req.method === "POST") return create(req);
  if (!id || !UUID.test(id)) throw notFound("channel_not_found", "Channel ids are UUIDs.");
  const route = `${req.method} ${action}${messageId ? "/:id" : ""}`;
  switch (route) {
    case "GET ":
      return show(req, id);
    case "POST secrets":
      return setSecret(req, id);
    case "POST test-event":
      return testEvent(req, id);
    case "GET test-event/:id":
      return testEventStage(req, id, messageId);
    default:
      throw new HttpError(405, "method_not_allowed", `No ${route.trim()} route for a channel.`);
  }
});
