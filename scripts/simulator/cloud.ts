// The WhatsApp Cloud API's Graph endpoints as our product uses them (whatsapp-formats §2.7–2.10): sending and
// marking read on `/v{N}/{phone_number_id}/messages`, media upload, media lookup and the short-lived download
// URL — with Bearer tokens, Graph error bodies, and the 24 h customer-service window.
import { bearer, json } from "../local/http.ts";
import { digits, fbtraceId, hmacHex, toHex, unixSeconds, utf8, wamid } from "./encoding.ts";
import type { CloudChannel, MessageKind, ProviderError } from "./model.ts";
import { accepted, answer, type Draft, holdAnswer, meetFaults, storeOutbound } from "./sends.ts";
import type { Sim } from "./sim.ts";

const WINDOW_MS = 24 * 60 * 60 * 1000;
const MEDIA_URL_TTL_S = 300;

interface GraphFailure extends ProviderError {
  status: number;
}

/** The errors the faults (and the window) produce; HTTP statuses as Meta's error-code table gives them. */
const FAILURES = {
  rate_limit: {
    status: 400,
    code: 130429,
    title: "Rate limit hit",
    details: "Cloud API message throughput has been reached.",
  },
  pair_rate_limit: {
    status: 400,
    code: 131056,
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details:
      "Message failed to send because there were too many messages sent from this phone number to the same " +
      "phone number in a short period of time.",
  },
  window_closed: {
    status: 400,
    code: 131047,
    title: "Re-engagement message",
    details:
      "Message failed to send because more than 24 hours have passed since the customer last replied to " +
      "this number.",
  },
  undeliverable: {
    status: 400,
    code: 131026,
    title: "Message undeliverable",
    details:
      "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone " +
      "number; the recipient has not accepted the new Terms of Service; the recipient uses an old WhatsApp version.",
  },
  server_error: {
    status: 500,
    code: 131000,
    title: "Something went wrong",
    details: "Something went wrong.",
  },
  unavailable: {
    status: 503,
    code: 131016,
    title: "Service unavailable",
    details: "A service is temporarily unavailable.",
  },
} satisfies Record<string, GraphFailure>;

/** Where each error arrives unless the fault says otherwise (Meta reports 131047 and 131026 as `failed` statuses). */
const DEFAULT_DELIVERY = {
  pair_rate_limit: "response",
  window_closed: "status",
  undeliverable: "status",
} as const;

function graphError(
  status: number,
  error: { code: number; message: string; type?: string; error_subcode?: number; details?: string },
): Response {
  const { details, type = "OAuthException", ...rest } = error;
  return json({
    error: {
      message: rest.message,
      type,
      code: rest.code,
      ...(rest.error_subcode ? { error_subcode: rest.error_subcode } : {}),
      ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
      fbtrace_id: fbtraceId(),
    },
  }, status);
}

const failureBody = (f: GraphFailure) => ({
  code: f.code,
  message: `(#${f.code}) ${f.title}`,
  details: f.details,
});
const invalid = (message: string, details?: string) => graphError(400, { code: 100, message, details });
const badToken = () =>
  graphError(401, { code: 190, message: "Invalid OAuth access token - Cannot parse access token" });
const noSuchObject = (method: string, id: string) =>
  graphError(400, {
    code: 100,
    error_subcode: 33,
    type: "GraphMethodException",
    message:
      `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing ` +
      "permissions, or does not support this operation. Please read the Graph API documentation at " +
      "https://developers.facebook.com/docs/graph-api",
  });

export async function cloudApi(sim: Sim, req: Request, url: URL): Promise<Response | null> {
  if (url.pathname === "/whatsapp_business/attachments/" && req.method === "GET") {
    return download(sim, req, url);
  }
  const m = url.pathname.match(/^\/v\d+\.\d+\/([^/]+)(?:\/(messages|media))?\/?$/);
  if (!m) return null;
  const token = bearer(req);
  const owned = [...sim.channels.values()].filter((c): c is CloudChannel =>
    c.provider === "cloud" && c.accessToken === token
  );
  if (!owned.length) return badToken();
  const [, id, edge] = m;
  if (!edge && req.method === "GET") return mediaInfo(sim, url, id, owned);
  const channel = owned.find((c) => c.phoneNumberId === id);
  if (!channel || req.method !== "POST" || !edge) return noSuchObject(req.method.toLowerCase(), id);
  return edge === "media" ? await upload(sim, channel, req) : await messages(sim, channel, req, url.pathname);
}

type Body = Record<string, unknown>;
const obj = (v: unknown): Body => (v && typeof v === "object" ? v as Body : {});

async function messages(sim: Sim, channel: CloudChannel, req: Request, path: string): Promise<Response> {
  let body: Body;
  try {
    body = obj(JSON.parse(await req.text()));
  } catch {
    return invalid("(#100) The parameter messaging_product is required.");
  }
  if (body.messaging_product === undefined) {
    return invalid("(#100) The parameter messaging_product is required.");
  }
  if (body.messaging_product !== "whatsapp") {
    return invalid(
      `(#100) Param messaging_product must be one of {WHATSAPP} - got "${body.messaging_product}".`,
    );
  }
  if (body.status === "read") return markRead(sim, channel, body);
  if (typeof body.to !== "string" || !digits(body.to)) return invalid("(#100) The parameter to is required.");
  const draft = parseDraft(body);
  if (draft instanceof Response) return draft;
  return await send(sim, channel, body, path, draft);
}

function markRead(sim: Sim, channel: CloudChannel, body: Body): Response {
  const message = typeof body.message_id === "string" ? sim.phones.message(body.message_id) : undefined;
  if (!message || message.channel !== channel.key || message.direction !== "in") {
    return invalid("(#100) Invalid parameter", "Invalid message_id");
  }
  sim.phones.setStatus(message, "read");
  return json({ success: true });
}

const KINDS: MessageKind[] = [
  "audio",
  "contacts",
  "document",
  "image",
  "interactive",
  "location",
  "reaction",
  "sticker",
  "template",
  "text",
  "video",
];
const MEDIA: MessageKind[] = ["audio", "document", "image", "sticker", "video"];

/** Checks the message object of the send and turns it into what the phone page shows. */
function parseDraft(body: Body): Draft | Response {
  const kind = String(body.type ?? "text") as MessageKind;
  if (!KINDS.includes(kind)) {
    return invalid(`(#100) Param type must be one of {${KINDS.join(", ").toUpperCase()}} - got "${kind}".`);
  }
  const part = obj(body[kind]);
  const required = (field: string) => invalid(`(#100) The parameter ${kind}['${field}'] is required.`);
  const callback = typeof body.biz_opaque_callback_data === "string"
    ? { callbackData: body.biz_opaque_callback_data }
    : {};
  const replyTo = typeof obj(body.context).message_id === "string"
    ? { refersTo: obj(body.context).message_id as string }
    : {};
  const draft = (text: string, extra: Partial<Draft> = {}): Draft => ({
    kind,
    text,
    ...callback,
    ...replyTo,
    ...extra,
  });
  if (MEDIA.includes(kind)) {
    if (typeof part.id !== "string" && typeof part.link !== "string") {
      return invalid("(#100) Invalid parameter", `${kind} must have either an id or a link`);
    }
    const media = {
      mimetype: "",
      ...(typeof part.link === "string" ? { link: part.link } : { mediaId: part.id as string }),
      ...(typeof part.filename === "string" ? { fileName: part.filename } : {}),
    };
    return draft(String(part.caption ?? ""), { media });
  }
  switch (kind) {
    case "text":
      return typeof part.body === "string" ? draft(part.body) : required("body");
    case "reaction":
      if (typeof part.message_id !== "string") return required("message_id");
      return draft(String(part.emoji ?? ""), { refersTo: part.message_id });
    case "template": {
      if (typeof part.name !== "string") return required("name");
      if (typeof obj(part.language).code !== "string") return required("language");
      const params = (Array.isArray(part.components) ? part.components : [])
        .flatMap((c) => Array.isArray(obj(c).parameters) ? obj(c).parameters as Body[] : [])
        .map((p) => String(obj(p).text ?? ""))
        .filter(Boolean);
      return draft([`[modelo ${part.name}]`, ...params].join(" "));
    }
    case "interactive":
      return draft(String(obj(part.body).text ?? "[interativo]"));
    case "location":
      return draft(`📍 ${part.name ?? `${part.latitude}, ${part.longitude}`}`);
    default: {
      const names = (Array.isArray(body.contacts) ? body.contacts : []).map((c) =>
        obj(obj(c).name).formatted_name
      );
      return draft(`👤 ${names.join(", ")}`);
    }
  }
}

async function send(
  sim: Sim,
  channel: CloudChannel,
  body: Body,
  path: string,
  draft: Draft,
): Promise<Response> {
  const to = digits(body.to as string);
  const record = sim.recordSend(channel, path, to, body);
  const reject = (f: GraphFailure, status = f.status) => {
    record.status = status;
    record.error = f.code;
    return graphError(status, failureBody(f));
  };
  const outcome = await meetFaults(sim, channel, to);
  let failure: ProviderError | undefined;
  switch (outcome?.kind) {
    case "server_error":
      return reject(outcome.status === 503 ? FAILURES.unavailable : FAILURES.server_error, outcome.status);
    case "rate_limit":
      return reject(FAILURES.rate_limit, outcome.status);
    case "pair_rate_limit":
    case "window_closed":
    case "undeliverable":
      if ((outcome.delivery ?? DEFAULT_DELIVERY[outcome.kind]) === "response") {
        return reject(FAILURES[outcome.kind]);
      }
      failure = FAILURES[outcome.kind];
      break;
    case "timeout":
      if (!outcome.accepted) {
        await holdAnswer(sim, outcome);
        return reject(FAILURES.server_error, 504);
      }
  }
  const customer = sim.phones.customer(channel.key, to);
  const windowOpen = customer.lastInboundAt !== null && Date.now() - customer.lastInboundAt < WINDOW_MS;
  if (!failure && draft.kind !== "template" && !windowOpen) failure = FAILURES.window_closed;
  if (draft.media?.mediaId) draft.media.mimetype = sim.media.get(draft.media.mediaId)?.mimetype ?? "";
  const message = storeOutbound(sim, channel, to, wamid(to, "out"), draft);
  accepted(sim, record, message);
  if (failure) {
    sim.phones.fail(message, { code: failure.code, title: failure.title, details: failure.details });
  } else sim.phones.deliver(message);
  if (outcome?.kind === "timeout") await holdAnswer(sim, outcome);
  return answer(record, 200, {
    messaging_product: "whatsapp",
    contacts: [{ input: body.to, wa_id: to }],
    messages: [{ id: message.id }],
  });
}

async function upload(sim: Sim, channel: CloudChannel, req: Request): Promise<Response> {
  const form = await req.formData().catch(() => null);
  if (!form?.get("messaging_product")) return invalid("(#100) The parameter messaging_product is required.");
  const file = form.get("file");
  if (!(file instanceof File)) return invalid("(#100) The parameter file is required.");
  const mimetype = String(form.get("type") ?? file.type ?? "application/octet-stream");
  const bytes = new Uint8Array(await file.arrayBuffer());
  return json({ id: sim.media.put({ channel: channel.key, bytes, mimetype, fileName: file.name }).id });
}

const urlSignature = (sim: Sim, id: string, expires: string) =>
  hmacHex("sha256", sim.urlSecret, utf8(`${id}.${expires}`)).slice(0, 32);

function mediaInfo(sim: Sim, url: URL, id: string, owned: CloudChannel[]): Response {
  const media = sim.media.get(id);
  if (!media || !owned.some((c) => c.key === media.channel)) return noSuchObject("get", id);
  const expires = String(unixSeconds() + MEDIA_URL_TTL_S);
  const download = new URL("/whatsapp_business/attachments/", url.origin);
  download.search = new URLSearchParams({ mid: id, ext: expires, hash: urlSignature(sim, id, expires) })
    .toString();
  return json({
    messaging_product: "whatsapp",
    url: download.toString(),
    mime_type: media.mimetype,
    sha256: toHex(media.sha256),
    file_size: String(media.bytes.length),
    id: media.id,
  });
}

/** The download URL needs the same Bearer token and lasts five minutes. */
function download(sim: Sim, req: Request, url: URL): Response {
  const id = url.searchParams.get("mid") ?? "";
  const expires = url.searchParams.get("ext") ?? "";
  const media = sim.media.get(id);
  if (
    url.searchParams.get("hash") !== urlSignature(sim, id, expires) || Number(expires) < unixSeconds() ||
    !media
  ) {
    return new Response("URL signature expired", { status: 403 });
  }
  const owner = sim.channels.get(media.channel);
  if (owner?.provider !== "cloud" || bearer(req) !== owner.accessToken) {
    return new Response("Unauthorized", { status: 401 });
  }
  return new Response(media.bytes as BodyInit, {
    headers: { "content-type": media.mimetype, "content-length": String(media.bytes.length) },
  });
}
