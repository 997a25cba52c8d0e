// WhatsApp Cloud API webhooks: GET /webhook-whatsapp/<channel> answers Meta's verification handshake; POST checks
// X-Hub-Signature-256 over the raw bytes before anything is parsed (with the App Secret, or during a rotation's
// grace the one it replaced), then stores each message and receipt as its own queue row in one statement. Every
// answer is counted for the channel card and /metrics.
import { db } from "../_shared/db.ts";
import { acceptedSecrets, authenticateWebhook } from "../_shared/channels.ts";
import { forbidden, HttpError, notFound, unauthorized } from "../_shared/errors.ts";
import { serve } from "../_shared/http.ts";
import { acceptWebhook } from "../_shared/ingest.ts";
import { normalise, parseWebhookJson } from "../_shared/normalise.ts";
import { readBodyWithin } from "../_shared/providers/body.ts";
import { CLOUD_MAX_BODY_BYTES, verifyCloudHandshake } from "../_shared/providers/cloud.ts";
import { type SignatureCheck, verifyCloudSignature } from "../_shared/signature.ts";
import { countWebhooks, noteWebhookChannel } from "../_shared/webhook-stats.ts";

/** Checks the signature against each App Secret the channel accepts now (a rotated one during its grace). */
async function verifyWithAny(
  raw: Uint8Array,
  header: string | null,
  secrets: string[],
): Promise<SignatureCheck> {
  let check = await verifyCloudSignature(raw, header, secrets[0] ?? "");
  for (const secret of secrets.slice(1)) {
    if (check.ok) break;
    check = await verifyCloudSignature(raw, header, secret);
  }
  return check;
}

export const handler = countWebhooks(
  "cloud",
  serve("webhook-whatsapp", async (req) => {
    const url = new URL(req.url);
    const channelKey = url.pathname.split("/")[2];
    if (!channelKey) throw notFound("channel_not_found", "The webhook URL names no channel.");
    const sql = db();
    const key = decodeURIComponent(channelKey);

    if (req.method === "GET") {
      const { channel, result: handshake } = await authenticateWebhook(
        sql,
        "cloud",
        key,
        (c) => Promise.resolve(verifyCloudHandshake(url.searchParams, c.verify_token ?? "")),
      );
      if (!channel) {
        throw notFound("channel_not_found", "No Cloud API channel has this id or phone number id.");
      }
      noteWebhookChannel(req, channel.channel_id);
      if (!handshake.ok) throw forbidden("verification_failed", handshake.reason);
      return new Response(handshake.challenge, { headers: { "content-type": "text/plain" } });
    }
    if (req.method !== "POST") {
      throw new HttpError(405, "method_not_allowed", "Cloud API webhooks are POSTed.");
    }

    const raw = await readBodyWithin(req, CLOUD_MAX_BODY_BYTES);
    const signature = req.headers.get("x-hub-signature-256");
    const { channel, result: signed } = await authenticateWebhook(
      sql,
      "cloud",
      key,
      (c) => verifyWithAny(raw, signature, acceptedSecrets(c, "app_secret")),
    );
    if (!channel) throw notFound("channel_not_found", "No Cloud API channel has this id or phone number id.");
    noteWebhookChannel(req, channel.channel_id);
    if (!signed.ok) {
      throw unauthorized(signed.reason, "The X-Hub-Signature-256 header does not match the body.");
    }
    const normalised = normalise("cloud", parseWebhookJson(raw), { receivedAt: new Date() });
    return acceptWebhook(sql, channel, normalised, "webhook-whatsapp");
  }),
);
