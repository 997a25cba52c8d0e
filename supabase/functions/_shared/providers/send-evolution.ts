// Sending through Evolution API (whatsapp-formats §1.9): sendText / sendMedia / sendWhatsAppAudio, the apikey
// header, 201 with key.id, and its error envelope, which answers 400 for every failed send.
import { postJson, type SendContext, type SendResult } from "../outbound.ts";

function recipient(ctx: SendContext): string {
  return ctx.group_jid ?? ctx.phone ?? ctx.lid ?? "";
}

function request(ctx: SendContext): { action: string; body: Record<string, unknown> } {
  const number = recipient(ctx);
  const quoted = ctx.reply_to_provider_id ? { quoted: { key: { id: ctx.reply_to_provider_id } } } : {};
  if (ctx.type === "audio" && ctx.media?.url) {
    return { action: "sendWhatsAppAudio", body: { number, audio: ctx.media.url, ...quoted } };
  }
  if (ctx.media?.url) {
    return {
      action: "sendMedia",
      body: {
        number,
        mediatype: ctx.type === "image" || ctx.type === "video" ? ctx.type : "document",
        mimetype: ctx.media.mime_type,
        media: ctx.media.url,
        caption: ctx.body ?? undefined,
        fileName: ctx.media.file_name,
        ...quoted,
      },
    };
  }
  return { action: "sendText", body: { number, text: ctx.body ?? "", ...quoted } };
}

const messagesOf = (json: unknown): unknown[] => {
  const message = (json as { response?: { message?: unknown } } | null)?.response?.message;
  return Array.isArray(message) ? message : message === undefined ? [] : [message];
};

export async function sendEvolution(ctx: SendContext): Promise<SendResult> {
  if (ctx.template) {
    return {
      ok: false,
      error: { code: "template_unsupported", title: "Evolution channels do not send templates" },
      permanent: true,
      sentMaybe: false,
    };
  }
  const { action, body } = request(ctx);
  const base = (ctx.base_url ?? "").replace(/\/$/, "");
  const res = await postJson(`${base}/message/${action}/${encodeURIComponent(ctx.external_id)}`, {
    apikey: ctx.api_key ?? "",
  }, body);
  if ("failure" in res) return res.failure;
  const id = (res.json as { key?: { id?: string } } | null)?.key?.id;
  if (res.status >= 200 && res.status < 300 && id) return { ok: true, providerMessageId: id };
  const details = messagesOf(res.json);
  const detail = JSON.stringify(details).slice(0, 500);
  if (details.some((m) => (m as { exists?: boolean })?.exists === false)) {
    return {
      ok: false,
      error: { code: "not_on_whatsapp", title: "This number is not on WhatsApp", detail },
      permanent: true,
      sentMaybe: false,
    };
  }
  if ([401, 403, 404].includes(res.status)) {
    return {
      ok: false,
      error: {
        code: "channel_misconfigured",
        title: "Evolution refused the channel's instance or key",
        detail,
      },
      permanent: true,
      sentMaybe: false,
    };
  }
  // Evolution answers 400 for transient failures too (a closed connection), so only the cases above are final.
  return {
    ok: false,
    error: { code: `evolution_${res.status}`, title: "Evolution could not send the message", detail },
    permanent: false,
    sentMaybe: false,
  };
}
