// Agents' replies through the stack and the WhatsApp simulator: exactly one send per message, honest ticks, and
// the right outcome for every provider fault (scripts/simulator/README.md lists them).
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.1";
import postgres from "npm:postgres@3.4.9";
import { testConfig, testSimulatorUrl } from "../../../scripts/test/env.ts";
import { eventually, waitFor } from "../../../scripts/test/wait.ts";
import { DEMO, randomPhone } from "./payloads.ts";

const cfg = testConfig();
const sim = testSimulatorUrl();
const sql = postgres(cfg.dbUrl, { max: 2, onnotice: () => {} });
const opts = { sanitizeOps: false, sanitizeResources: false };

async function signIn(email = "ana@atende.test"): Promise<SupabaseClient> {
  const client = createClient(cfg.apiUrl, cfg.anonKey, { auth: { persistSession: false } });
  const { error } = await client.auth.signInWithPassword({ email, password: "atende123" });
  if (error) throw error;
  // Private joins must not go out before the socket holds the session's token.
  await client.realtime.setAuth();
  return client;
}

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim}/_control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const CHANNEL = { evolution: DEMO.evolutionInstance, cloud: DEMO.cloudPhoneNumberId };
type Provider = keyof typeof CHANNEL;

/** A customer writes first (opening the conversation and, for the Cloud API, the 24 h window). */
async function conversationWith(
  provider: Provider,
  phone = randomPhone(),
): Promise<{ id: string; phone: string }> {
  await control("POST", `/customers/${CHANNEL[provider]}/${phone}/send`, { text: "Oi, preciso de ajuda" });
  const [row] = await waitFor(
    `the ${provider} customer's conversation`,
    () =>
      sql`select c.id from conversations c join contacts ct on ct.id = c.contact_id where ct.phone = ${phone}`
        .then((r) => r.length ? r : null),
  );
  return { id: row.id, phone };
}

async function send(client: SupabaseClient, body: Record<string, unknown>) {
  const { data, error } = await client.functions.invoke("messages", {
    body: { client_id: crypto.randomUUID(), ...body },
  });
  if (error) {
    const res = (error as { context?: Response }).context;
    return { status: res?.status ?? 0, error: res ? (await res.json()).error : error };
  }
  return { status: 202, message: data.message };
}

const sendsTo = async (
  phone: string,
) => (await control("GET", `/sent?to=${phone}`) as { accepted: boolean; body: Record<string, unknown> }[]);

const statusOf = (id: string) =>
  sql`select status, error, provider_message_id from messages where id = ${id}`.then((r) => r[0]);

async function withQuickRetries(fn: () => Promise<void>) {
  const [saved] = await sql`select backoff_base, backoff_cap, max_attempts from app.queue_settings`;
  await sql`update app.queue_settings set backoff_base = '50 ms', backoff_cap = '200 ms', max_attempts = 4`;
  try {
    await fn();
  } finally {
    await sql`update app.queue_settings set backoff_base = ${saved.backoff_base}, backoff_cap = ${saved.backoff_cap},
      max_attempts = ${saved.max_attempts}`;
  }
}

for (const provider of ["evolution", "cloud"] as const) {
  Deno.test({
    name:
      `${provider}: an agent's reply reaches the customer once and its ticks go pending → sent → delivered → read`,
    ...opts,
    fn: async () => {
      const ana = await signIn();
      const conversation = await conversationWith(provider);
      const seen: string[] = [];
      const channel = ana.channel(`conversation:${conversation.id}`, { config: { private: true } });
      channel.on(
        "broadcast",
        { event: "message.status_changed" },
        ({ payload }) => seen.push(payload.record.status),
      );
      await eventually<void>("the agent to join the conversation topic", (resolve) => {
        channel.subscribe((s) => s === "SUBSCRIBED" && resolve());
      });
      try {
        const sent = await send(ana, { conversation_id: conversation.id, body: "Olá! Como posso ajudar?" });
        equal(sent.status, 202, JSON.stringify(sent));
        equal(sent.message.status, "pending");
        await waitFor("the read tick", async () => (await statusOf(sent.message.id)).status === "read");
        await waitFor("the live status broadcasts", () => seen.includes("read"));
        const sends = await sendsTo(conversation.phone);
        equal(sends.length, 1, "exactly one send reached the provider");
        const { data } = await ana.functions.invoke(`messages/${sent.message.id}`, { method: "GET" });
        deepStrictEqual(data.history.map((h: { status: string }) => h.status), [
          "pending",
          "sent",
          "delivered",
          "read",
        ]);
      } finally {
        await ana.removeAllChannels();
      }
    },
  });
}

Deno.test({
  name: "a reply carrying U+0000 or half an emoji is stored and sent as text Postgres can hold, not refused",
  ...opts,
  fn: async () => {
    const ana = await signIn();
    const conversation = await conversationWith("evolution");
    const sent = await send(ana, {
      conversation_id: conversation.id,
      body: "antes\u0000depois, meio \ud83d emoji",
    });
    equal(sent.status, 202, JSON.stringify(sent));
    equal(sent.message.body, "antesdepois, meio \ufffd emoji");
    await waitFor("the send", async () => (await statusOf(sent.message.id)).status !== "pending");
    const sends = await sendsTo(conversation.phone);
    deepStrictEqual(sends.map((s) => s.body.text), ["antesdepois, meio \ufffd emoji"]);
  },
});

Deno.test({
  name: "the same client id posted twice at once stores one message and sends it once",
  ...opts,
  fn: async () => {
    const ana = await signIn();
    const conversation = await conversationWith("evolution");
    const client_id = crypto.randomUUID();
    const [a, b] = await Promise.all([
      send(ana, { conversation_id: conversation.id, client_id, body: "Uma vez só" }),
      send(ana, { conversation_id: conversation.id, client_id, body: "Uma vez só" }),
    ]);
    deepStrictEqual([a.status, b.status], [202, 202]);
    equal(a.message.id, b.message.id);
    await waitFor("the send", async () => (await statusOf(a.message.id)).status !== "pending");
    const [{ n }] = await sql`select count(*)::int as n from messages where client_id = ${client_id}`;
    equal(n, 1);
    equal((await sendsTo(conversation.phone)).length, 1);
  },
});

Deno.test({
  name: "provider errors worth retrying (5xx, 429, 130429, 131056) are retried and the message goes out once",
  ...opts,
  fn: () =>
    withQuickRetries(async () => {
      const ana = await signIn();
      const evo = await conversationWith("evolution");
      await control("POST", `/faults/${CHANNEL.evolution}`, {
        faults: [{ kind: "server_error", count: 1, to: evo.phone }, {
          kind: "rate_limit",
          count: 1,
          to: evo.phone,
        }],
      });
      const cloud = await conversationWith("cloud");
      await control("POST", `/faults/${CHANNEL.cloud}`, {
        faults: [{ kind: "rate_limit", count: 1, to: cloud.phone }, {
          kind: "pair_rate_limit",
          count: 1,
          to: cloud.phone,
        }],
      });
      for (const c of [evo, cloud]) {
        const sent = await send(ana, { conversation_id: c.id, body: "Tentando de novo" });
        await waitFor(`the message to ${c.phone} to be read`, async () =>
          (await statusOf(sent.message.id)).status === "read");
        const sends = await sendsTo(c.phone);
        deepStrictEqual(
          sends.map((s) =>
            s.accepted
          ),
          [false, false, true],
          "two refusals, then one accepted send",
        );
      }
    }),
});

Deno.test({
  name: "permanent refusals fail the message at once with a reason an agent understands",
  ...opts,
  fn: async () => {
    const ana = await signIn();
    const cases = [
      { provider: "cloud" as const, fault: { kind: "window_closed" }, code: "131047" },
      { provider: "cloud" as const, fault: { kind: "undeliverable", delivery: "response" }, code: "131026" },
      { provider: "evolution" as const, fault: { kind: "not_on_whatsapp" }, code: "not_on_whatsapp" },
    ];
    for (const c of cases) {
      const conversation = await conversationWith(c.provider);
      await control("POST", `/faults/${CHANNEL[c.provider]}`, {
        ...c.fault,
        count: 1,
        to: conversation.phone,
      });
      const sent = await send(ana, { conversation_id: conversation.id, body: "Vai falhar" });
      const failed = await waitFor(`the ${c.code} failure`, async () => {
        const m = await statusOf(sent.message.id);
        return m.status === "failed" ? m : null;
      });
      equal(failed.error.code, c.code);
      ok(failed.error.title, "the failure carries a readable reason");
      equal((await sendsTo(conversation.phone)).length, 1, `${c.code} is not retried`);
    }
  },
});

Deno.test({
  name:
    "a free-form Cloud API send outside the 24 h window is refused before it is queued; a template goes out",
  ...opts,
  fn: async () => {
    const ana = await signIn();
    const conversation = await conversationWith("cloud");
    await sql`update conversations set window_expires_at = now() - interval '1 minute' where id = ${conversation.id}`;
    const refused = await send(ana, { conversation_id: conversation.id, body: "Fora da janela" });
    equal(refused.status, 422);
    equal(refused.error.code, "window_closed");
    const template = await send(ana, {
      conversation_id: conversation.id,
      template: { name: "retomar_atendimento", language: "pt_BR" },
    });
    equal(template.status, 202);
    await waitFor(
      "the template to be sent",
      async () => (await statusOf(template.message.id)).status !== "pending",
    );
    const sends = await sendsTo(conversation.phone);
    deepStrictEqual(sends.map((s) => s.body.type), ["template"]);
  },
});

for (const provider of ["evolution", "cloud"] as const) {
  Deno.test({
    name: `${provider}: a send whose answer never came back is not sent a second time`,
    ...opts,
    fn: () =>
      withQuickRetries(async () => {
        const ana = await signIn();
        const conversation = await conversationWith(provider);
        // The provider accepts and delivers, but answers only after our timeout has given up.
        await control("POST", `/faults/${CHANNEL[provider]}`, {
          kind: "timeout",
          accepted: true,
          ms: 4000,
          count: 1,
          to: conversation.phone,
        });
        const sent = await send(ana, { conversation_id: conversation.id, body: "Chegou?" });
        const linked = await waitFor(
          "the echo or receipt to link the unanswered send",
          async () => {
            const m = await statusOf(sent.message.id);
            return m.provider_message_id && m.status === "read" ? m : null;
          },
          20_000,
          100,
        );
        ok(linked.provider_message_id);
        const sends = await sendsTo(conversation.phone);
        equal(sends.length, 1, "the customer got one message");
        const [{ n }] =
          await sql`select count(*)::int as n from messages where conversation_id = ${conversation.id}
          and direction = 'outbound'`;
        equal(n, 1, "the echo did not become a second message");
      }),
  });
}

Deno.test({
  name: "a send that keeps failing ends as a dead letter and a failed message with a retry that works",
  ...opts,
  fn: () =>
    withQuickRetries(async () => {
      const ana = await signIn();
      const conversation = await conversationWith("evolution");
      await control("POST", `/faults/${CHANNEL.evolution}`, {
        kind: "server_error",
        count: 4,
        to: conversation.phone,
      });
      const sent = await send(ana, { conversation_id: conversation.id, body: "Insistindo" });
      const failed = await waitFor(
        "retries to run out",
        async () => {
          const m = await statusOf(sent.message.id);
          return m.status === "failed" ? m : null;
        },
        20_000,
        100,
      );
      equal(failed.error.code, "evolution_500");
      // The message is failed as the last attempt is recorded; its job leaves the queue a moment later.
      const dead = await waitFor("the job's dead letter", async () => {
        const [row] =
          await sql`select attempts from app.failed_messages where correlation_id = ${sent.message.id}`;
        return row ?? null;
      });
      equal(dead.attempts, 4);
      const { error } = await ana.functions.invoke(`messages/${sent.message.id}/retry`, { method: "POST" });
      equal(error, null);
      await waitFor("the retried message to be read", async () =>
        (await statusOf(sent.message.id)).status === "read");
      deepStrictEqual(
        (await sendsTo(conversation.phone)).map((s) =>
          s.accepted
        ),
        [false, false, false, false, true],
      );
    }),
});

Deno.test("close the outbound tests' database connection", async () => {
  await sql.end();
});
