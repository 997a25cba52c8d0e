// Ingestion end to end on the running stack: provider webhooks → queue → processor → conversation model →
// an agent's live subscription. Payloads are the providers' exact shapes (payloads.ts).
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createClient } from "npm:@supabase/supabase-js@2.119.1";
import postgres from "npm:postgres@3.4.9";
import { testConfig } from "../../../scripts/test/env.ts";
import { eventually, waitFor } from "../../../scripts/test/wait.ts";
import { signJwt } from "../../../scripts/local/jwt.ts";
import {
  cloudBatch,
  DEMO,
  evolutionReceipt,
  evolutionText,
  postCloud,
  postEvolution,
  randomKeyId,
  randomPhone,
} from "./payloads.ts";

const cfg = testConfig();
const sql = postgres(cfg.dbUrl, { max: 2, onnotice: () => {} });

async function agentClient(userId = DEMO.ana) {
  const token = await signJwt({
    sub: userId,
    role: "authenticated",
    aud: "authenticated",
    exp: Math.floor(Date.now() / 1000) + 600,
  }, cfg.jwtSecret);
  const client = createClient(cfg.apiUrl, cfg.anonKey, {
    accessToken: () => Promise.resolve(token),
    auth: { persistSession: false },
  });
  // Private joins must not go out before the socket holds the token (supabase-js sets it asynchronously).
  await client.realtime.setAuth();
  return client;
}

const messagesOf = (phone: string) =>
  sql`select m.seq, m.direction, m.body, m.status, m.provider_message_id, c.id as conversation_id
      from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
      where ct.phone = ${phone} order by m.seq`;

async function expectAccepted(res: Response, accepted: number, duplicates = 0) {
  const body = await res.json();
  equal(res.status, 200, JSON.stringify(body));
  equal(body.accepted, accepted, JSON.stringify(body));
  equal(body.duplicates, duplicates, JSON.stringify(body));
}

Deno.test({
  name:
    "a customer's message becomes message 1 of a new conversation, and the next one reaches a subscribed agent live",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const phone = randomPhone();
    await expectAccepted(
      await postEvolution(cfg.apiUrl, evolutionText(phone, randomKeyId(), "Olá, bom dia")),
      1,
    );
    const [first] = await waitFor("the first message to be applied", async () => {
      const rows = await messagesOf(phone);
      return rows.length ? rows : null;
    });
    deepStrictEqual({ seq: first.seq, direction: first.direction, body: first.body }, {
      seq: 1,
      direction: "inbound",
      body: "Olá, bom dia",
    });

    const client = await agentClient();
    const channel = client.channel(`conversation:${first.conversation_id}`, { config: { private: true } });
    try {
      const received = eventually<{ record: { seq: number; body: string } }>(
        "the message.created broadcast for the second message",
        (resolve) => {
          channel.on("broadcast", { event: "message.created" }, ({ payload }) => resolve(payload));
        },
      );
      received.catch(() => {}); // awaited below; this only stops a failed join from leaving it unobserved
      await eventually<void>("the agent to join the conversation topic", (resolve) => {
        channel.subscribe((status) => status === "SUBSCRIBED" && resolve());
      });
      await expectAccepted(
        await postEvolution(cfg.apiUrl, evolutionText(phone, randomKeyId(), "Tem horário hoje?")),
        1,
      );
      const { record } = await received;
      deepStrictEqual({ seq: record.seq, body: record.body }, { seq: 2, body: "Tem horário hoje?" });
    } finally {
      await client.removeAllChannels();
    }
  },
});

Deno.test("the same webhook delivered three times stores one message", async () => {
  const phone = randomPhone();
  const body = evolutionText(phone, randomKeyId(), "Só uma vez");
  await expectAccepted(await postEvolution(cfg.apiUrl, body), 1);
  await expectAccepted(await postEvolution(cfg.apiUrl, body), 0, 1);
  await expectAccepted(await postEvolution(cfg.apiUrl, body), 0, 1);
  await waitFor("the message to be applied", async () => (await messagesOf(phone)).length > 0);
  const marker = randomKeyId();
  await expectAccepted(await postEvolution(cfg.apiUrl, evolutionText(phone, marker, "depois")), 1);
  const rows = await waitFor("the later message", async () => {
    const r = await messagesOf(phone);
    return r.length === 2 ? r : null;
  });
  deepStrictEqual(rows.map((r) => [r.seq, r.body]), [[1, "Só uma vez"], [2, "depois"]]);
});

Deno.test("webhooks arriving at once share a write yet each is stored once, redeliveries among them too", async () => {
  const phone = randomPhone();
  const texts = Array.from({ length: 30 }, (_, i) => `rajada ${i + 1}`);
  const bodies = texts.map((t) => evolutionText(phone, randomKeyId(), t));
  // Each of the first five is also redelivered in the same burst, as a provider that timed out would.
  const answers = await Promise.all(
    [...bodies, ...bodies.slice(0, 5)].map(async (b) => {
      const res = await postEvolution(cfg.apiUrl, b);
      equal(res.status, 200);
      return (await res.json()) as { accepted: number; duplicates: number };
    }),
  );
  equal(answers.reduce((n, a) => n + a.accepted, 0), 30, "one acceptance per distinct message");
  equal(answers.reduce((n, a) => n + a.duplicates, 0), 5, "one duplicate per redelivery");
  const rows = await waitFor("all 30 messages", async () => {
    const r = await messagesOf(phone);
    return r.length >= 30 ? r : null;
  });
  deepStrictEqual(rows.map((r) => r.seq), texts.map((_, i) => i + 1), "seq 1…30, none twice");
  deepStrictEqual(new Set(rows.map((r) => r.body)), new Set(texts));
});

Deno.test({
  name:
    "while processing is paused webhooks are stored without a processor run each, and applied once it resumes",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const phone = randomPhone();
    const runs = () => sql`select runs::int from app.processor_runs`.then(([r]) => r.runs as number);
    const runsBefore = await runs();
    await sql`update app.queue_settings set paused_until = now() + interval '1 minute'`;
    try {
      for (let i = 1; i <= 40; i++) {
        await expectAccepted(
          await postEvolution(cfg.apiUrl, evolutionText(phone, randomKeyId(), `pausa ${i}`)),
          1,
        );
      }
      equal((await messagesOf(phone)).length, 0, "nothing is applied while paused");
      // The first kick learns of the pause; the pg_cron minute tick may add one more run.
      const ran = await runs() - runsBefore;
      ok(ran <= 2, `${ran} processor runs for 40 paused webhooks`);
    } finally {
      await sql`update app.queue_settings set paused_until = null`;
    }
    // No webhook comes after the resume: the kick owed for those held back does the work.
    await waitFor(
      "the 40 messages after the pause",
      async () => (await messagesOf(phone)).length === 40,
      15_000,
    );
  },
});

Deno.test("a message carrying a NUL or half an emoji is stored, not refused on every redelivery", async () => {
  // JSON may escape U+0000 and lone surrogates, which Postgres text and jsonb cannot hold.
  const phone = randomPhone();
  await expectAccepted(
    await postEvolution(cfg.apiUrl, evolutionText(phone, randomKeyId(), "antes\u0000depois \ud83d")),
    1,
  );
  const rows = await waitFor("the message", async () => {
    const r = await messagesOf(phone);
    return r.length ? r : null;
  });
  equal(rows[0].body, "antesdepois \ufffd");
});

Deno.test("a receipt that arrives before its message is applied when the message appears", async () => {
  const phone = randomPhone();
  const keyId = randomKeyId();
  await expectAccepted(await postEvolution(cfg.apiUrl, evolutionReceipt(phone, keyId, "DELIVERY_ACK")), 1);
  await expectAccepted(
    await postEvolution(cfg.apiUrl, evolutionText(phone, keyId, "Enviado pelo celular", { fromMe: true })),
    1,
  );
  const [message] = await waitFor("the echo with its early receipt", async () => {
    const rows = await messagesOf(phone);
    return rows.length && rows[0].status === "delivered" ? rows : null;
  });
  equal(message.direction, "outbound");
  await expectAccepted(await postEvolution(cfg.apiUrl, evolutionReceipt(phone, keyId, "SERVER_ACK")), 1);
  await expectAccepted(await postEvolution(cfg.apiUrl, evolutionReceipt(phone, keyId, "READ")), 1);
  await waitFor("the read receipt", async () => (await messagesOf(phone))[0].status === "read");
});

Deno.test("events claimed by a processor that died are processed after their lease, once", async () => {
  const phone = randomPhone();
  const jobs = [1, 2, 3].map((n) => ({
    kind: "inbound_event",
    dedupe_key: `${DEMO.cloudChannel}:crash-${crypto.randomUUID()}`,
    ordering_key: `${DEMO.cloudChannel}:${phone}`,
    payload: {
      channel_id: DEMO.cloudChannel,
      event: {
        type: "message",
        dedupe_key: `crash-${n}`,
        occurred_at: new Date().toISOString(),
        provider_message_id: `wamid.crash-${crypto.randomUUID()}`,
        from_me: false,
        contact: { phone, name: "Cliente" },
        message_type: "text",
        body: `mensagem ${n}`,
      },
    },
  }));
  await sql`select * from app.enqueue_batch(${sql.json(jobs)})`;
  // A processor claims the first event with a one-second lease, then dies without completing it.
  const claimed =
    await sql`select id from app.claim(100, 1) where ordering_key = ${`${DEMO.cloudChannel}:${phone}`}`;
  equal(claimed.length, 1, "only the oldest event of a conversation is handed out");
  const invoke = () =>
    fetch(`${cfg.apiUrl}/functions/v1/queue-processor`, {
      method: "POST",
      headers: { authorization: `Bearer ${cfg.serviceRoleKey}` },
    }).then((r) => r.json());
  const rows = await waitFor(
    "all three events after the lease expired",
    async () => {
      await invoke();
      const r = await messagesOf(phone);
      return r.length === 3 ? r : null;
    },
    15_000,
    200,
  );
  deepStrictEqual(rows.map((r) => [r.seq, r.body]), [[1, "mensagem 1"], [2, "mensagem 2"], [
    3,
    "mensagem 3",
  ]]);
});

Deno.test("a Cloud API batch stores each message and receipt as its own event", async () => {
  const [a, b] = [randomPhone(), randomPhone()];
  const ids = [
    `wamid.${crypto.randomUUID()}`,
    `wamid.${crypto.randomUUID()}`,
    `wamid.${crypto.randomUUID()}`,
  ];
  const res = await postCloud(
    cfg.apiUrl,
    cloudBatch([{ from: a, id: ids[0], text: "primeira" }, { from: b, id: ids[1], text: "de outro" }, {
      from: a,
      id: ids[2],
      text: "segunda",
    }], [{ id: `wamid.${crypto.randomUUID()}`, status: "delivered", recipient: a }]),
  );
  await expectAccepted(res, 4);
  const rowsA = await waitFor("both of a's messages", async () => {
    const r = await messagesOf(a);
    return r.length === 2 ? r : null;
  });
  deepStrictEqual(rowsA.map((r) => [r.seq, r.body]), [[1, "primeira"], [2, "segunda"]]);
  await waitFor("b's message", async () => (await messagesOf(b)).length === 1);
});

Deno.test("a Cloud API webhook with a bad or missing signature is refused with 401 and nothing is stored", async () => {
  const phone = randomPhone();
  const body = cloudBatch([{ from: phone, id: `wamid.${crypto.randomUUID()}`, text: "forjada" }]);
  const forged = await postCloud(cfg.apiUrl, body, "not-the-app-secret");
  equal(forged.status, 401);
  equal((await forged.json()).error.code, "signature_mismatch");
  const unsigned = await fetch(`${cfg.apiUrl}/functions/v1/webhook-whatsapp/${DEMO.cloudChannel}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  equal(unsigned.status, 401);
  await unsigned.body?.cancel();
  const [{ n }] =
    await sql`select count(*)::int as n from app.message_queue where payload::text like ${`%${phone}%`}`;
  equal(n, 0);
});

Deno.test("Meta's verification handshake is answered only with the right verify token", async () => {
  const url = (token: string) =>
    `${cfg.apiUrl}/functions/v1/webhook-whatsapp/${DEMO.cloudPhoneNumberId}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
  const ok200 = await fetch(url(DEMO.cloudVerifyToken));
  equal(ok200.status, 200);
  equal(await ok200.text(), "1158201444");
  const wrong = await fetch(url("wrong"));
  equal(wrong.status, 403);
  await wrong.body?.cancel();
});

Deno.test("bad Evolution webhooks get clear errors and store nothing, and good ones still work after", async () => {
  const phone = randomPhone();
  const cases: [Response, number, string][] = [
    [
      await postEvolution(cfg.apiUrl, evolutionText(phone, randomKeyId(), "x"), "wrong-secret"),
      401,
      "invalid_secret",
    ],
    [await postEvolution(cfg.apiUrl, "{not json"), 400, "invalid_payload"],
    [
      await postEvolution(
        cfg.apiUrl,
        evolutionText(phone, randomKeyId(), "x"),
        undefined,
        "/messages-update",
      ),
      400,
      "event_path_mismatch",
    ],
    [
      await fetch(`${cfg.apiUrl}/functions/v1/webhook-evolution/00000000-0000-4000-8000-000000000000`, {
        method: "POST",
        body: "{}",
      }),
      404,
      "channel_not_found",
    ],
    [
      await postEvolution(
        cfg.apiUrl,
        JSON.stringify({ event: "messages.upsert", data: "x".repeat(26 * 1024 * 1024) }),
      ),
      413,
      "payload_too_large",
    ],
  ];
  for (const [res, status, code] of cases) {
    const body = await res.json();
    equal(res.status, status, JSON.stringify(body));
    equal(body.error.code, code);
  }
  const ignored = await postEvolution(cfg.apiUrl, {
    event: "presence.update",
    instance: DEMO.evolutionInstance,
    data: { id: `${phone}@s.whatsapp.net`, presences: {} },
  });
  const ignoredBody = await ignored.json();
  equal(ignored.status, 200);
  deepStrictEqual([ignoredBody.accepted, ignoredBody.ignored], [0, 1]);
  const [{ n }] =
    await sql`select count(*)::int as n from app.message_queue where payload::text like ${`%${phone}%`}`;
  equal(n, 0);
  await expectAccepted(await postEvolution(cfg.apiUrl, evolutionText(phone, randomKeyId(), "agora sim")), 1);
  ok(await waitFor("the good message", async () => (await messagesOf(phone)).length === 1));
});

Deno.test("close the test database connection", async () => {
  await sql.end();
});
