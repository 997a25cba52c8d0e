// Operations: the platform's health and metrics, and each tenant's monitoring for its managers.
//   GET  /health                       project key (apikey or bearer); 200 or 503 with the failing checks
//   GET  /metrics                      ATENDE_METRICS_KEY or a secret project key (bearer); Prometheus text
//   GET  /stats?tenant_id&time_zone    manager; the figures behind the cards (public.tenant_stats)
//   GET  /dead-letters?tenant_id&channel_id&kind&error&state&before_failed_at&before_id&limit     manager
//   POST /dead-letters/retry {tenant_id, ids}  ·  POST /dead-letters/discard {tenant_id, ids, reason}
// Tenant routes act as the user, so the SQL functions' role checks decide.
import { z } from "npm:zod@4.6.7";
import { db } from "../_shared/db.ts";
import { HttpError, unauthorized } from "../_shared/errors.ts";
import { checkHealth } from "../_shared/health.ts";
import { json, serve } from "../_shared/http.ts";
import { kickAfterResponse } from "../_shared/kick.ts";
import { metricFamilies, readPlatformFigures } from "../_shared/metrics.ts";
import { projectKeys, requireKey, secretKeys } from "../_shared/project-keys.ts";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../_shared/prometheus.ts";
import { fromPostgrest, userClient } from "../_shared/user-client.ts";
import { readJson, readQuery } from "../_shared/validate.ts";

const StatsQuery = z.object({ tenant_id: z.uuid(), time_zone: z.string().min(1).max(64).default("UTC") });
const DeadLettersQuery = z.object({
  tenant_id: z.uuid(),
  channel_id: z.uuid().optional(),
  kind: z.string().max(100).optional(),
  error: z.string().max(200).optional(),
  state: z.enum(["active", "discarded", "all"]).default("active"),
  before_failed_at: z.iso.datetime({ offset: true }).optional(),
  before_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const Ids = z.array(z.number().int().positive()).min(1).max(1000);
const Retry = z.object({ tenant_id: z.uuid(), ids: Ids });
const Discard = z.object({ tenant_id: z.uuid(), ids: Ids, reason: z.string().trim().min(1).max(500) });

async function health(req: Request) {
  requireKey(req, [...projectKeys(), Deno.env.get("ATENDE_METRICS_KEY") ?? ""]);
  const report = await checkHealth(db());
  return json({ status: report.ok ? "ok" : "failing", ...report }, report.ok ? 200 : 503, {
    "cache-control": "no-store",
  });
}

async function metrics(req: Request) {
  requireKey(req, [...secretKeys(), Deno.env.get("ATENDE_METRICS_KEY") ?? ""]);
  const text = renderPrometheus(metricFamilies(await readPlatformFigures(db())));
  return new Response(text, {
    headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
  });
}

async function rpc(req: Request, fn: string, args: Record<string, unknown>) {
  const { data, error, status } = await userClient(req).rpc(fn, args);
  // This function takes keys instead of a session on /health and /metrics, so the platform does not check the
  // JWT (verify_jwt = false): PostgREST does, and a refused one is the caller's to renew.
  if (status === 401) throw unauthorized("invalid_jwt", "The session is invalid or expired; sign in again.");
  if (error) throw fromPostgrest(error);
  return data;
}

async function stats(req: Request, url: URL) {
  return json(await rpc(req, "tenant_stats", readQuery(url, StatsQuery)));
}

async function deadLetters(req: Request, url: URL) {
  const { limit, ...filters } = readQuery(url, DeadLettersQuery);
  const rows = await rpc(req, "dead_letters", { ...filters, max_rows: limit });
  return json({ dead_letters: rows });
}

async function retry(req: Request) {
  const retried = await rpc(req, "retry_dead_letters", await readJson(req, Retry));
  if (retried > 0) kickAfterResponse();
  return json({ retried });
}

async function discard(req: Request) {
  return json({ discarded: await rpc(req, "discard_dead_letters", await readJson(req, Discard)) });
}

export const handler = serve("ops", (req) => {
  const url = new URL(req.url);
  const route = `${req.method} ${url.pathname.split("/").slice(2).join("/")}`;
  switch (route) {
    case "GET health":
      return health(req);
    case "GET metrics":
      return metrics(req);
    case "GET stats":
      return stats(req, url);
    case "GET dead-letters":
      return deadLetters(req, url);
    case "POST dead-letters/retry":
      return retry(req);
    case "POST dead-letters/discard":
      return discard(req);
    default:
      throw new HttpError(404, "not_found", `No route ${route}.`);
  }
});
