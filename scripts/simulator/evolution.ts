// Evolution API v2's REST surface as our product uses it (whatsapp-formats §1.9): the three send routes, the
// instance webhook (`/webhook/set|find`), marking messages read and fetching a message's media. Same routes, guard
// order (unknown route → 404, then `apikey` → 401), validation messages, 201 bodies and error envelope.
import { json } from "../local/http.ts";
import { cuid, digits, evolutionMessageId, fromBase64, long, toBase64, utf8 } from "./encoding.ts";
import {
  EVOLUTION_EVENTS,
  evolutionContent,
  evolutionSent,
  jid,
  type MediaFile,
  messageObject,
} from "./evolution-events.ts";
import type { EvolutionChannel, MessageKind } from "./model.ts";
import { accepted, answer, type Draft, holdAnswer, meetFaults, storeOutbound } from "./sends.ts";
import type { Sim } from "./sim.ts";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** `{status, error, response:{message}}`, from Evolution's error handler in src/main.ts. */
const evolutionError = (status: number, message: unknown, error = STATUS_TEXT[status]) => ({
  status,
  error: error ?? "Internal Server Error",
  response: { message },
});

const fail = (status: number, message: unknown, error?: string) =>
  json(evolutionError(status, message, error), status);

type Body = Record<string, unknown>;
type Route = (sim: Sim, channel: EvolutionChannel, body: Body, path: string) => Promise<Response> | Response;

const routes: Record<string, Route> = {
  "POST message/sendText": sendText,
  "POST message/sendMedia": sendMedia,
  "POST message/sendWhatsAppAudio": sendWhatsAppAudio,
  "POST webhook/set": setWebhook,
  "GET webhook/find": (_sim, channel) => json(channel.webhook),
  "POST chat/markMessageAsRead": markMessageAsRead,
  "POST chat/getBase64FromMediaMessage": getBase64FromMediaMessage,
};

export async function evolutionApi(sim: Sim, req: Request, path: string): Promise<Response | null> {
  const m = path.match(/^\/(message|webhook|chat)\/([^/]+)\/([^/]+)$/);
  if (!m) return null;
  const route = routes[`${req.method} ${m[1]}/${m[2]}`];
  if (!route) return fail(404, [`Cannot ${req.method} ${path}`]);
  const body = await readBody(req);
  // Express' JSON parser fails before any guard; its error has a status but no `error` text.
  if (body instanceof SyntaxError) return fail(400, body.message, "Internal Server Error");
  const channel = sim.channels.get(decodeURIComponent(m[3]));
  if (channel?.provider !== "evolution" || req.headers.get("apikey") !== channel.apikey) {
    return fail(401, "Unauthorized");
  }
  return await route(sim, channel, body, path);
}

/** JSON, or multipart (sendMedia / sendWhatsAppAudio take a `file` part). */
async function readBody(req: Request): Promise<Body | SyntaxError> {
  if (req.method !== "POST") return {};
  if ((req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const form = await req.formData();
    const body: Body = {};
    for (const [name, value] of form) body[name] = value;
    return body;
  }
  const text = await req.text();
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch (e) {
    return e as SyntaxError;
  }
}

/** jsonschema's messages, as Evolution's `dataValidate` reports them. */
function missing(body: Body, required: string[], where = "instance"): string[] {
  return required.filter((p) => body[p] === undefined).map((p) => `${where} requires property "${p}"`);
}

const isUrl = (s: unknown): s is string => typeof s === "string" && /^https?:\/\/\S+$/.test(s);

async function fileFrom(value: unknown, mimetype: string, fileName?: string): Promise<MediaFile | null> {
  if (value instanceof File) {
    return { bytes: new Uint8Array(await value.arrayBuffer()), mimetype, fileName: fileName ?? value.name };
  }
  if (isUrl(value)) return { bytes: utf8(value), mimetype, fileName };
  const bytes = typeof value === "string" ? fromBase64(value) : null;
  return bytes && { bytes, mimetype, fileName };
}

function sendText(sim: Sim, channel: EvolutionChannel, body: Body, path: string) {
  const errors = missing(body, ["number", "text"]);
  if (errors.length) return fail(400, errors);
  if (!String(body.text).trim()) return fail(400, ["Text is required"]);
  return send(sim, channel, body, path, { kind: "text", text: String(body.text) });
}

const MEDIA_TYPES = ["image", "document", "video", "audio"];
const DEFAULT_MIME: Record<string, string> = {
  image: "image/jpeg",
  document: "application/pdf",
  video: "video/mp4",
  audio: "audio/mpeg",
};

async function sendMedia(sim: Sim, channel: EvolutionChannel, body: Body, path: string) {
  const errors = missing(body, ["number", "mediatype"]);
  if (errors.length) return fail(400, errors);
  const type = String(body.mediatype);
  if (!MEDIA_TYPES.includes(type)) return fail(400, [`mediatype is not one of enum values: ${MEDIA_TYPES}`]);
  const source = body.file ?? body.media;
  if (type === "document" && typeof source === "string" && fromBase64(source) && !body.fileName) {
    return fail(400, ["For base64 the file name must be informed."]);
  }
  const mimetype = String(body.mimetype ?? DEFAULT_MIME[type]);
  const file = await fileFrom(source, mimetype, body.fileName as string | undefined);
  if (!file) return fail(400, ["Owned media must be a url or base64"]);
  const caption = typeof body.caption === "string" ? body.caption : "";
  return send(sim, channel, body, path, draftWithFile(type as MessageKind, caption, file, source));
}

async function sendWhatsAppAudio(sim: Sim, channel: EvolutionChannel, body: Body, path: string) {
  const errors = missing(body, ["number"]);
  if (errors.length) return fail(400, errors);
  const source = body.file ?? body.audio;
  // Evolution converts any audio to an Opus voice note (PTT).
  const file = await fileFrom(source, "audio/ogg; codecs=opus");
  if (!file) return fail(400, ["Owned media must be a url, base64, or valid file with buffer"]);
  const draft = draftWithFile("audio", "", file, source);
  return send(sim, channel, body, path, { ...draft, media: { ...draft.media!, voice: true } });
}

function draftWithFile(
  kind: MessageKind,
  text: string,
  file: MediaFile,
  source: unknown,
): Draft & { file: MediaFile } {
  const link = isUrl(source) ? { link: source } : { bytes: file.bytes };
  return { kind, text, media: { mimetype: file.mimetype, fileName: file.fileName, ...link }, file };
}

/** `sendMessageWithTyping`: number check, typing delay, the message, `send.message`, then the receipts. */
async function send(
  sim: Sim,
  channel: EvolutionChannel,
  body: Body,
  path: string,
  draft: Draft & { file?: MediaFile },
): Promise<Response> {
  const number = String(body.number);
  const to = digits(number);
  const record = sim.recordSend(channel, path, to, body);
  if (number.includes("@g.us")) return answer(record, 404, evolutionError(404, ["Group not found"]), 404);
  const outcome = await meetFaults(sim, channel, to);
  switch (outcome?.kind) {
    case "not_on_whatsapp":
      return answer(record, 400, evolutionError(400, [{ jid: jid(to), exists: false, number: to }]), 400);
    case "server_error":
      return answer(
        record,
        outcome.status,
        evolutionError(outcome.status, STATUS_TEXT[outcome.status]),
        outcome.status,
      );
    case "rate_limit": {
      const status = outcome.status ?? 429;
      return answer(
        record,
        status,
        evolutionError(status, [STATUS_TEXT[status] ?? "Too Many Requests"]),
        status,
      );
    }
    case "timeout":
      if (!outcome.accepted) {
        await holdAnswer(sim, outcome);
        return answer(record, 504, evolutionError(504, ["Gateway Timeout"]), 504);
      }
  }
  const delay = Number(body.delay);
  if (delay > 0) await sim.timers.sleep(delay);
  const quotedId = ((body.quoted as Body | undefined)?.key as Body | undefined)?.id;
  const message = storeOutbound(sim, channel, to, evolutionMessageId(), {
    ...draft,
    ...(typeof quotedId === "string" ? { refersTo: quotedId } : {}),
  });
  message.rowId = cuid();
  const quoted = message.refersTo ? sim.phones.message(message.refersTo) : undefined;
  const object = messageObject(channel, message, evolutionContent(channel, message, draft.file, quoted));
  accepted(sim, record, message);
  evolutionSent(sim, channel, message, object, draft.file);
  sim.phones.deliver(message);
  if (outcome?.kind === "timeout") await holdAnswer(sim, outcome);
  return answer(record, 201, object);
}

function setWebhook(_sim: Sim, channel: EvolutionChannel, body: Body) {
  const webhook = body.webhook as Body | undefined;
  if (!webhook || typeof webhook !== "object") return fail(400, missing(body, ["webhook"]));
  const errors = missing(webhook, ["enabled", "url"], "webhook");
  if (webhook.enabled !== undefined && typeof webhook.enabled !== "boolean") {
    errors.push("webhook.enabled is not of a type(s) boolean");
  }
  if (webhook.url !== undefined && typeof webhook.url !== "string") {
    errors.push("webhook.url is not of a type(s) string");
  } else if (webhook.url === "") errors.push('The "url" cannot be empty');
  const events = webhook.events;
  if (events !== undefined && !Array.isArray(events)) errors.push("webhook.events is not of a type(s) array");
  (Array.isArray(events) ? events : []).forEach((e, i) => {
    if (!EVOLUTION_EVENTS.includes(e)) {
      errors.push(`webhook.events[${i}] is not one of enum values: ${EVOLUTION_EVENTS}`);
    }
  });
  if (errors.length) return fail(400, errors);
  // Faithful to WebhookController.set: enabled without `events` reads `.length` of undefined.
  if (webhook.enabled && events === undefined) {
    return fail(500, "Cannot read properties of undefined (reading 'length')");
  }
  const now = new Date().toISOString();
  const list = events as string[];
  channel.webhook = {
    id: channel.webhook?.id ?? cuid(),
    url: String(webhook.url),
    headers: (webhook.headers ?? {}) as Record<string, string>,
    enabled: Boolean(webhook.enabled),
    events: !webhook.enabled ? [] : list.length ? list : EVOLUTION_EVENTS,
    webhookByEvents: Boolean(webhook.byEvents),
    webhookBase64: Boolean(webhook.base64),
    createdAt: channel.webhook?.createdAt ?? now,
    updatedAt: now,
    instanceId: channel.instanceId,
  };
  return json(channel.webhook, 201);
}

function markMessageAsRead(sim: Sim, channel: EvolutionChannel, body: Body) {
  const errors = missing(body, ["readMessages"]);
  if (!errors.length && !Array.isArray(body.readMessages)) {
    errors.push("readMessages is not of a type(s) array");
  }
  if (errors.length) return fail(400, errors);
  for (const key of body.readMessages as Body[]) {
    const message = sim.phones.message(String(key.id));
    if (message?.channel === channel.key && message.direction === "in") sim.phones.setStatus(message, "read");
  }
  return json({ message: "Read messages", read: "success" }, 201);
}

function getBase64FromMediaMessage(sim: Sim, channel: EvolutionChannel, body: Body) {
  const id = ((body.message as Body | undefined)?.key as Body | undefined)?.id;
  const message = typeof id === "string" ? sim.phones.message(id) : undefined;
  const media = message?.channel === channel.key && message.media?.mediaId
    ? sim.media.get(message.media.mediaId)
    : undefined;
  if (!message || !media) return fail(400, ["Error: Message not found"]);
  return json({
    mediaType: `${message.kind}Message`,
    fileName: media.fileName ?? `${message.id}.${media.mimetype.split("/")[1].split(";")[0]}`,
    caption: message.text || undefined,
    size: { fileLength: long(media.bytes.length), height: 1, width: 1 },
    mimetype: media.mimetype,
    base64: toBase64(media.bytes),
  }, 201);
}
