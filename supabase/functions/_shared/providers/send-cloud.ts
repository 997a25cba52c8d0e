// Sending through the WhatsApp Cloud API (whatsapp-formats §2.7–2.8, §2.10): POST /v{N}/{phone_number_id}/messages
// with a Bearer token; errors are classified by Graph's `error.code`, never by the HTTP status.
import { postJson, type SendContext, type SendResult } from "../outbound.ts";

const API_VERSION = Deno.env.get("ATENDE_CLOUD_API_VERSION") ?? "v25.0";

/** Codes worth retrying with backoff; 131056 (pair rate limit) holds this conversation back, not the others. */
const RETRYABLE = new Set([1, 2, 4, 613, 80007, 130429, 131000, 131016, 131056]);

const TITLES: Record<number, string> = {
  131047: "More than 24 hours since the customer last wrote: send a template",
  131026: "The message could not be delivered to this number",
  131048: "Held back by WhatsApp's spam limits",
  131049: "Held back by WhatsApp to protect engagement",
  131051: "WhatsApp does not support this message type",
  131053: "The media could not be uploaded",
  190: "The channel's access token has expired",
};

function payload(ctx: SendContext): Record<string, unknown> {
  const base: Record<string, unknown> = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: ctx.phone ?? ctx.bsuid,
    // Comes back on every status webhook, so a send whose answer was lost is still recognised.
    biz_opaque_callback_data: ctx.id,
    ...(ctx.reply_to_provider_id ? { context: { message_id: ctx.reply_to_provider_id } } : {}),
  };
  if (ctx.template) {
    const { name, language, components } = ctx.template;
    return { ...base, type: "template", template: { name, language: { code: language }, components } };
  }
  if (ctx.media?.url) {
    const type = ["image", "video", "audio", "sticker"].includes(ctx.type) ? ctx.type : "document";
    const media: Record<string, unknown> = { link: ctx.media.url };
    if (ctx.body && type !== "audio" && type !== "sticker") media.caption = ctx.body;
    if (type === "document" && ctx.media.file_name) media.filename = ctx.media.file_name;
    return { ...base, type, [type]: media };
  }
  return { ...base, type: "text", text: { body: ctx.body ?? "", preview_url: false } };
}

export async function sendCloud(ctx: SendContext): Promise<SendResult> {
  const base = (ctx.base_url ?? "https://graph.facebook.com").replace(/\/$/, "");
  const res = await postJson(`${base}/${API_VERSION}/${encodeURIComponent(ctx.external_id)}/messages`, {
    authorization: `Bearer ${ctx.access_token ?? ""}`,
  }, payload(ctx));
  if ("failure" in res) return res.failure;
  const json = res.json as {
    messages?: { id?: string }[];
    error?: { code?: number; message?: string; error_data?: { details?: string } };
  } | null;
  const id = json?.messages?.[0]?.id;
  if (res.status >= 200 && res.status < 300 && id) return { ok: true, providerMessageId: id };
  const code = json?.error?.code;
  const detail = json?.error?.error_data?.details ?? json?.error?.message;
  const retryable = code === undefined ? res.status >= 500 || res.status === 429 : RETRYABLE.has(code);
  return {
    ok: false,
    error: {
      code: code === undefined ? `http_${res.status}` : String(code),
      title: (code !== undefined && TITLES[code]) || "The Cloud API could not send the message",
      ...(detail ? { detail } : {}),
    },
    permanent: !retryable,
    sentMaybe: false,
  };
}
