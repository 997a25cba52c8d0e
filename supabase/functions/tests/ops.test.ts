// Managers watch the queue and act on failures; operators watch the platform. Driven through the stack, the
// WhatsApp simulator and supabase-js, in a tenant of the tests' own (ops-world.ts).
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import postgres from "npm:postgres@3.4.9";
import parsePrometheusTextFormat from "npm:parse-prometheus-text-format@1.1.1";
import { waitFor } from "../../../scripts/test/wait.ts";
import { cfg, connectEvolution, control, createWorld, invoke, watchTenant, type World } from "./ops-world.ts";
import { randomPhone } from "./payloads.ts";

const sql = postgres(cfg.dbUrl, { max: 2, onnotice: () => {} });
const opts = { sanitizeOps: false, sanitizeResources: false };

const health = (headers: Record<string, string>) =>
  fetch(`${cfg.apiUrl}/functions/v1/ops/health`, { headers }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));

/** What pg_cron does every minute: run the queue processor with the service role key. */
async function runProcessor() {
  const res = await fetch(`${cfg.apiUrl}/functions/v1/queue-processor`, {
    method: "POST",
    headers: { authorization: `Bearer ${cfg.serviceRoleKey}`, "content-type": "application/json" },
    body: "{}",
  });
  equal(res.status, 200, await res.text());
}

Deno.test({
  name:
    "/health answers an uptime checker holding a project key, and turns 503 when the processor stops running",
  ...opts,
  fn: async () => {
    await runProcessor();
    const healthy = await health({ apikey: cfg.anonKey });
    equal(healthy.status, 200, JSON.stringify(healthy.body));
    equal(healthy.body.status, "ok");
    deepStrictEqual(Object.keys(healthy.body.checks).sort(), [
      "cron",
      "database",
      "paused",
      "processor",
      "queue_lag",
    ]);
    ok(!JSON.stringify(healthy.body).includes(cfg.serviceRoleKey), "no secret in the answer");

    equal((await health({})).status, 401, "no key, no answer");

    const [saved] = await sql`select last_run_at from app.processor_runs`;
    await sql`update app.processor_runs set last_run_at = now() - interval '10 minutes'`;
    const stale = await health({ apikey: cfg.anonKey });
    equal(stale.status, 503, JSON.stringify(stale.body));
    deepStrictEqual(stale.body.failing, ["processor"]);
    ok(stale.body.checks.processor.age_seconds > stale.body.checks.processor.threshold_seconds);

    await runProcessor();
    const recovered = await health({ apikey: cfg.anonKey });
    equal(recovered.status, 200, "healthy again once the processor runs");
    ok(new Date(recovered.body.checks.processor.last_run_at) > new Date(saved.last_run_at ?? 0));

    await sql`update app.queue_settings set paused_until = now() + interval '1 minute'`;
    try {
      const paused = await health({ apikey: cfg.anonKey });
      equal(paused.status, 503, "a paused queue is not delivering");
      deepStrictEqual(paused.body.failing, ["paused"]);
      ok(new Date(paused.body.checks.paused.until) > new Date(), "it says until when");
    } finally {
      await sql`update app.queue_settings set paused_until = null`;
    }
    equal((await health({ apikey: cfg.anonKey })).status, 200, "healthy again once resumed");
  },
});

/** Fast retries for the length of a test, so a failing send runs out of attempts in a second or two. */
async function withQuickRetries(fn: () => Promise<void>) {
  const [saved] = await sql`select backoff_base, backoff_cap, max_attempts from app.queue_settings`;
  await sql`update app.queue_settings set backoff_base = '50 ms', backoff_cap = '200 ms', max_attempts = 3`;
  try {
    await fn();
  } finally {
    await sql`update app.queue_settings set backoff_base = ${saved.backoff_base}, backoff_cap = ${saved.backoff_cap},
      max_attempts = ${saved.max_attempts}`;
  }
}

let world: World;
let failed: { messageId: string; phone: string; channel: string };

Deno.test({
  name:
    "provider failures move the manager's cards live: the error rate goes up and a dead letter appears; agents see none of it",
  ...opts,
  fn: () =>
    withQuickRetries(async () => {
      world = await createWorld(sql);
      const channel = await connectEvolution(world);
      const phone = randomPhone();
      await control("POST", `/customers/${channel.externalId}/${phone}/send`, { text: "Oi, tudo bem?" });
      const [conversation] = await waitFor("the customer's conversation", () =>
        sql`select c.id from conversations c join contacts ct on ct.id = c.contact_id
            where c.tenant_id = ${world.tenantId} and ct.phone = ${phone}`.then((r) =>
          r.length ? r : null
        ));

      const before = await invoke(world.manager.client, `ops/stats?tenant_id=${world.tenantId}`, {
        method: "GET",
      });
      equal(before.status, 200, JSON.stringify(before.body));
      equal(before.body.queue.error_rate_5m.value, 0);
      equal(before.body.queue.dead_letters.value, 0);

      const deadLetterSeen = await watchTenant(world.manager.client, world.tenantId, "dead_letter.created");
      await control("POST", `/faults/${channel.externalId}`, { kind: "server_error", count: 3, to: phone });
      const sent = await invoke(world.agent.client, "messages", {
        body: { conversation_id: conversation.id, client_id: crypto.randomUUID(), body: "Já vou verificar" },
      });
      equal(sent.status, 202, JSON.stringify(sent.body));
      const live = await deadLetterSeen.received;
      equal(
        live.record.message_id,
        sent.body.message.id,
        "the dead letter is announced on the tenant's topic",
      );

      const after = await invoke(world.manager.client, `ops/stats?tenant_id=${world.tenantId}`, {
        method: "GET",
      });
      const queue = after.body.queue;
      ok(queue.error_rate_5m.value > 0, `the error rate went up: ${JSON.stringify(queue.error_rate_5m)}`);
      equal(queue.error_rate_5m.trend, "up");
      equal(queue.error_rate_5m.level, "critical");
      equal(queue.dead_letters.value, 1);
      equal(queue.dead_letters.series.at(-1), 1, "the sparkline ends at the new dead letter");
      equal(after.body.channels[0].id, channel.id);

      const agentView = await invoke(world.agent.client, `ops/stats?tenant_id=${world.tenantId}`, {
        method: "GET",
      });
      equal(agentView.status, 403);
      equal(agentView.body.error.code, "not_allowed");
      const agentList = await invoke(world.agent.client, `ops/dead-letters?tenant_id=${world.tenantId}`, {
        method: "GET",
      });
      equal(agentList.status, 403);
      await world.manager.client.removeAllChannels();
      failed = { messageId: sent.body.message.id, phone, channel: channel.externalId };
    }),
});

Deno.test({
  name: "retrying a dead letter from the API delivers the message once, and every open console hears of it",
  ...opts,
  fn: async () => {
    ok(failed, "runs after the failure test");
    const list = await invoke(world.manager.client, `ops/dead-letters?tenant_id=${world.tenantId}`, {
      method: "GET",
    });
    equal(list.status, 200, JSON.stringify(list.body));
    equal(list.body.dead_letters.length, 1);
    const [dead] = list.body.dead_letters;
    equal(dead.message_id, failed.messageId, "the dead letter names its message for the status view");
    equal(dead.errors.length, 3, "with every attempt's error");
    const status = await invoke(world.manager.client, `messages/${dead.message_id}`, { method: "GET" });
    equal(status.body.message.status, "failed", "the linked message status shows the failure");

    const retriedSeen = await watchTenant(world.admin.client, world.tenantId, "dead_letter.retried");
    const retried = await invoke(world.manager.client, "ops/dead-letters/retry", {
      body: { tenant_id: world.tenantId, ids: [dead.id] },
    });
    deepStrictEqual(retried, { status: 200, body: { retried: 1 } });
    equal((await retriedSeen.received).record.count, 1);

    await waitFor("the retried message to be read", async () => {
      const [m] = await sql`select status from messages where id = ${failed.messageId}`;
      return m.status === "read";
    });
    const sends = await control("GET", `/sent?channel=${failed.channel}&to=${failed.phone}`) as {
      accepted: boolean;
    }[];
    deepStrictEqual(sends.map((s) => s.accepted), [false, false, false, true], "delivered exactly once");

    const again = await invoke(world.manager.client, "ops/dead-letters/retry", {
      body: { tenant_id: world.tenantId, ids: [dead.id] },
    });
    deepStrictEqual(again.body, { retried: 0 }, "a dead letter is retried once");
    const stats = await invoke(world.manager.client, `ops/stats?tenant_id=${world.tenantId}`, {
      method: "GET",
    });
    equal(stats.body.queue.dead_letters.value, 0);
    await world.admin.client.removeAllChannels();
  },
});

Deno.test({
  name: "/metrics is Prometheus text for a secret key, with queue, webhook and latency families",
  ...opts,
  fn: async () => {
    const refused = await fetch(`${cfg.apiUrl}/functions/v1/ops/metrics`, {
      headers: { authorization: `Bearer ${cfg.anonKey}` },
    });
    await refused.body?.cancel();
    equal(refused.status, 401, "the anon key does not open the metrics");

    const res = await fetch(`${cfg.apiUrl}/functions/v1/ops/metrics`, {
      headers: { authorization: `Bearer ${cfg.serviceRoleKey}` },
    });
    equal(res.status, 200);
    ok(res.headers.get("content-type")?.startsWith("text/plain; version=0.0.4"));
    const text = await res.text();
    const families = parsePrometheusTextFormat(text) as {
      name: string;
      type: string;
      metrics: { labels?: Record<string, string>; value?: string }[];
    }[];
    const byName = new Map(families.map((f) => [f.name, f]));
    for (
      const [name, type] of [
        ["atende_queue_depth", "GAUGE"],
        ["atende_queue_processed_total", "COUNTER"],
        ["atende_queue_failed_total", "COUNTER"],
        ["atende_queue_dead_lettered_total", "COUNTER"],
        ["atende_webhook_requests_total", "COUNTER"],
        ["atende_queue_processing_latency_seconds", "HISTOGRAM"],
        ["atende_queue_lag_seconds", "GAUGE"],
        ["atende_processor_last_run_timestamp_seconds", "GAUGE"],
      ]
    ) {
      equal(byName.get(name)?.type, type, `${name} is a ${type.toLowerCase()}`);
    }
    const depth = byName.get("atende_queue_depth")!.metrics;
    deepStrictEqual(
      [...new Set(depth.map((m) => m.labels?.status))].sort(),
      ["dead_letter", "queued", "retrying"],
      "depth is split by status",
    );
    ok(
      byName.get("atende_webhook_requests_total")!.metrics.some((m) =>
        m.labels?.provider === "evolution" && m.labels?.status === "200"
      ),
      "webhook requests are labelled by provider and status",
    );
    // The parser folds labelled histograms together, so the histogram is read from the text: its count of sends
    // is the processed total.
    const processed = byName.get("atende_queue_processed_total")!.metrics
      .find((m) => m.labels?.kind === "outbound_message")?.value;
    const count = text.match(
      /^atende_queue_processing_latency_seconds_count\{kind="outbound_message"\} (\S+)$/m,
    )?.[1];
    ok(processed && Number(processed) > 0, "sends were processed");
    equal(count, processed, "every processed send is in the latency histogram");
    ok(text.includes('atende_queue_processing_latency_seconds_bucket{kind="outbound_message",le="+Inf"}'));
  },
});

Deno.test("close the ops tests' database connection", async () => {
  await sql.end();
});
