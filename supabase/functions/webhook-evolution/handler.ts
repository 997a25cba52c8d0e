// Evolution API webhooks: POST /webhook-evolution/<channel>[/<event-path>]?secret=… (or the secret in the
// `x-atende-secret` header, set through Evolution's webhook.headers; a rotated secret also passes during its
// grace). Acknowledged after one durable insert; every answer is counted for the channel card and /metrics.
// Evolution drops a webhook answered 4xx for good, so 4xx is only for what can never succeed.
import { db } from "../_shared/db.ts";
import { acceptedSecrets, authenticateWebhook } from "../_shared/channels.ts";
import { HttpError, notFound, unauthorized } from "../_shared/errors.ts";
import { serve } from "../_shared/http.ts";
import { acceptWebhook } from "../_shared/ingest.ts";
import { normalise, parseWebhookJson } from "../_shared/normalise.ts";
import { readBodyWithin } from "../_shared/providers/body.ts";
import { EVOLUTION_MAX_BODY_BYTES } from "../_shared/providers/evolution.ts";
import { sameSecret } from "../_shared/signature.ts";
import { countWebhooks, noteWebhookChannel } from "../_shared/webhook-stats.ts";

export const handler = countWebhooks(
  "evolution",
  serve("webhook-evolution", async (req) => {
    if (req.method !== "POST") {
      throw new HttpError(405, "method_not_allowed", "Evolution webhooks are POSTed.");
    }
    const url = new URL(req.url);
    const [, , channelKey, eventPath] = url.pathname.split("/");
    if (!channelKey) throw notFound("channel_not_found", "The webhook URL names no channel.");
    const sql = db();
    const secret = req.headers.get("x-atende-secret") ?? url.searchParams.get("secret") ?? "";
    const { channel, result: auth } = await authenticateWebhook(
      sql,
      "evolution",
      decodeURIComponent(channelKey),
      (c) => Promise.resolve({ ok: acceptedSecrets(c, "webhook_secret").some((s) => sameSecret(secret, s)) }),
    );
    if (!channel) throw notFound("channel_not_found", "No Evolution channel has this id or instance name.");
    noteWebhookChannel(req, channel.channel_id);
    if (!auth.ok) throw unauthorized("invalid_secret", "The webhook secret is missing or wrong.");
    const raw = await readBodyWithin(req, EVOLUTION_MAX_BODY_BYTES);
    const normalised = normalise("evolution", parseWebhookJson(raw), { eventPath, receivedAt: new Date() });
    return acceptWebhook(sql, channel, normalised, "webhook-evolution");
  }),
);
