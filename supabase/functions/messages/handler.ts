// Agents' messages: POST / sends (202 with the stored pending message; the same client_id returns the same
// message), GET /<id> tells its delivery status and history, POST /<id>/retry sends a failed one again.
import { z } from "npm:zod@4.6.7";
import { HttpError, notFound } from "../_shared/errors.ts";
import { json, serve } from "../_shared/http.ts";
import { kickAfterResponse } from "../_shared/kick.ts";
import { fromPostgrest, userClient } from "../_shared/user-client.ts";
import { readJson } from "../_shared/validate.ts";

const SendRequest = z.object({
  conversation_id: z.uuid(),
  client_id: z.uuid(),
  body: z.string().max(4096).optional(),
  reply_to_message_id: z.uuid().optional(),
  media: z.object({
    url: z.url(),
    type: z.enum(["image", "audio", "video", "document", "sticker"]).optional(),
    mime_type: z.string().max(200).optional(),
    file_name: z.string().max(255).optional(),
    caption: z.string().max(1024).optional(),
  }).optional(),
  template: z.object({
    name: z.string().min(1).max(512),
    language: z.string().min(2).max(15),
    components: z.array(z.unknown()).optional(),
  }).optional(),
});

async function send(req: Request) {
  const input = await readJson(req, SendRequest);
  const { data, error } = await userClient(req).rpc("send_message", {
    conversation_id: input.conversation_id,
    client_id: input.client_id,
    body: input.body ?? null,
    reply_to_message_id: input.reply_to_message_id ?? null,
    media: input.media ?? null,
    template: input.template ?? null,
  });
  if (error) throw fromPostgrest(error);
  kickAfterResponse();
  return json({ message: data }, 202);
}

async function status(req: Request, id: string) {
  const client = userClient(req);
  const { data: message, error } = await client.from("messages").select("*").eq("id", id).maybeSingle();
  if (error) throw fromPostgrest(error);
  if (!message) throw notFound("message_not_found", "No message with this id is visible to you.");
  const { data: events, error: eventsError } = await client.from("events")
    .select("type, payload, created_at").eq("message_id", id).in("type", [
      "message.created",
      "message.status_changed",
    ])
    .order("id");
  if (eventsError) throw fromPostgrest(eventsError);
  const history = (events ?? []).map((e) => ({
    status: e.payload.status as string,
    at: e.created_at as string,
    ...(e.payload.status === "failed" && e.payload.error ? { error: e.payload.error } : {}),
  })).filter((h, i, all) => i === 0 || h.status !== all[i - 1].status);
  return json({ message, history });
}

async function retry(req: Request, id: string) {
  const { data, error } = await userClient(req).rpc("retry_message", { message_id: id });
  if (error) throw fromPostgrest(error);
  kickAfterResponse();
  return json({ message: data }, 202);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const handler = serve("messages", (req) => {
  const [, , id, action] = new URL(req.url).pathname.split("/");
  if (!id && req.method === "POST") return send(req);
  if (id && !UUID.test(id)) throw notFound("message_not_found", "Message ids are UUIDs.");
  if (id && !action && req.method === "GET") return status(req, id);
  if (id && action === "retry" && req.method === "POST") return retry(req, id);
  throw new HttpError(
    405,
    "method_not_allowed",
    "Use POST /messages, GET /messages/<id> or POST /messages/<id>/retry.",
  );
});
