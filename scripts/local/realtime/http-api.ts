// Realtime's REST broadcast: `POST /api/broadcast` (a batch, used by supabase-js when a channel is not joined)
// and `POST /api/broadcast/<topic>/events/<event>` (`channel.httpSend()`). Public messages go out unconditionally,
// private ones only when the caller's INSERT policy on realtime.messages allows that topic.
// Sources: lib/realtime_web/controllers/broadcast_controller.ex, broadcast_single_controller.ex,
// lib/realtime/tenants/batch_broadcast.ex, single_broadcast.ex, lib/realtime_web/plugs/auth_tenant.ex.
import type { Ctx } from "../gateway.ts";
import { BadJson, bearer, BodyTooLarge, json, readBody, readJson } from "../http.ts";
import type { Claims } from "../jwt.ts";
import { type AuthContext, authorizeWrite, unevaluated } from "./authorization.ts";
import type { ChannelDeps } from "./channel.ts";
import { flexibleBoolean } from "./join-config.ts";
import { logFailure } from "./log.ts";
import { Fanout, isMap } from "./protocol.ts";
import { checkToken } from "./tokens.ts";

type Obj = Record<string, unknown>;
const accepted = () => new Response(null, { status: 202 });

/** The x-* request headers, which policies read as `request.headers`. */
export function xHeaders(req: Request): Record<string, string> {
  return Object.fromEntries([...req.headers].filter(([k]) => k.startsWith("x-")));
}

interface BatchMessage {
  topic: string;
  event: string;
  payload: Obj;
  private: boolean;
  id?: string;
}

function validateBatch(
  body: unknown,
  maxPayloadBytes: number,
): { messages: BatchMessage[] } | { errors: unknown } {
  const list = isMap(body) ? body.messages : undefined;
  if (!Array.isArray(list) || list.length === 0) return { errors: { messages: ["can't be blank"] } };
  let valid = true;
  const errors = list.map((m) => {
    const e: Record<string, string[]> = {};
    const msg = isMap(m) ? m : {};
    for (const field of ["topic", "event"]) {
      if (typeof msg[field] !== "string" || msg[field] === "") e[field] = ["can't be blank"];
    }
    if (!isMap(msg.payload)) e.payload = ["can't be blank"];
    else if (JSON.stringify(msg.payload).length > maxPayloadBytes) {
      e.payload = ["Payload size exceeds tenant limit"];
    }
    if (msg.id !== undefined && typeof msg.id !== "string") e.id = ["is invalid"];
    if (Object.keys(e).length) valid = false;
    return e;
  });
  if (!valid) return { errors: { messages: errors } };
  return {
    messages: list.map((m) => ({
      topic: m.topic,
      event: m.event,
      payload: m.payload,
      private: flexibleBoolean(m.private),
      id: m.id,
    })),
  };
}

async function mayWrite(deps: ChannelDeps, ctx: AuthContext): Promise<boolean> {
  try {
    return (await authorizeWrite(deps.sql, ctx, unevaluated())).broadcast.write === true;
  } catch (e) {
    logFailure("UnableToSetPolicies", e);
    return false;
  }
}

async function batch(req: Request, ctx: Ctx, deps: ChannelDeps, claims: Claims): Promise<Response> {
  const checked = validateBatch(await readJson(req, ctx.cfg.maxBodyBytes), deps.settings.maxPayloadBytes);
  if ("errors" in checked) return json({ errors: checked.errors }, 422);
  const allowedTopics = new Map<string, boolean>();
  for (const m of checked.messages) {
    if (m.private && !allowedTopics.has(m.topic)) {
      allowedTopics.set(m.topic, await mayWrite(deps, { topic: m.topic, claims, headers: xHeaders(req) }));
    }
    if (m.private && !allowedTopics.get(m.topic)) continue; // refused private messages are dropped silently
    const payload = {
      payload: m.payload,
      event: m.event,
      type: "broadcast",
      ...(m.id ? { meta: { id: m.id } } : {}),
    };
    deps.hub.broadcast(
      { name: m.topic, private: m.private },
      (topic) => Fanout.map(topic, "broadcast", payload),
    );
  }
  return accepted();
}

async function single(
  req: Request,
  ctx: Ctx,
  deps: ChannelDeps,
  claims: Claims,
  topic: string,
  event: string,
): Promise<Response> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  let body: Uint8Array;
  if (type === "application/json") {
    const payload = await readJson(req, ctx.cfg.maxBodyBytes);
    if (payload === undefined || payload === null) {
      return json({ errors: { payload: ["can't be blank"] } }, 422);
    }
    body = new TextEncoder().encode(JSON.stringify(payload));
  } else if (type === "application/octet-stream") {
    body = await readBody(req, ctx.cfg.maxBodyBytes);
  } else {
    return json({ message: "Content-Type must be application/json or application/octet-stream" }, 415);
  }
  if (body.length > deps.settings.maxPayloadBytes) {
    return json({ errors: { payload: ["Payload size exceeds tenant limit"] } }, 422);
  }
  const isPrivate = ctx.url.searchParams.get("private") === "true";
  if (isPrivate && !await mayWrite(deps, { topic, claims, headers: xHeaders(req) })) {
    return json({ message: "Unauthorized" }, 403);
  }
  const encoding = type === "application/json" ? "json" : "binary";
  deps.hub.broadcast(
    { name: topic, private: isPrivate },
    (t) => Fanout.user(t, { userEvent: event, encoding, body }),
  );
  return accepted();
}

export async function broadcastApi(req: Request, ctx: Ctx, deps: ChannelDeps): Promise<Response> {
  const route = ctx.path.match(/^\/api\/broadcast(?:\/([^/]+)\/events\/([^/]+))?\/?$/);
  if (!route || req.method !== "POST") return json({ message: "Not Found" }, 404);
  let claims: Claims;
  try {
    claims = await checkToken(bearer(req) ?? req.headers.get("apikey"), deps.jwtSecret);
  } catch {
    return json({ message: "Unauthorized" }, 401);
  }
  try {
    if (!route[1]) return await batch(req, ctx, deps, claims);
    return await single(req, ctx, deps, claims, decodeURIComponent(route[1]), decodeURIComponent(route[2]));
  } catch (e) {
    if (e instanceof BadJson) return json({ message: `Invalid JSON: ${e.message}` }, 400);
    if (e instanceof BodyTooLarge) return json({ message: "Request size limit exceeded" }, 413);
    if (e instanceof URIError) return json({ message: "Not Found" }, 404);
    throw e;
  }
}
