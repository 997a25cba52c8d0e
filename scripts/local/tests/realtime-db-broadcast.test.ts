// Broadcast from Database: rows realtime.send and realtime.broadcast_changes write to realtime.messages reach the
// members joined to the private topic, once, in commit order, only after commit.
import { deepStrictEqual, equal } from "node:assert/strict";
import type postgres from "npm:postgres@3.4.9";
import { testConfig } from "../../test/env.ts";
import {
  type Broadcast,
  Inbox,
  joined,
  type OpenClient,
  realtimeTest,
  tenantWith,
  userToken,
  withClients,
} from "../realtime/testing.ts";

const cfg = testConfig();

class RolledBack extends Error {}

/** A tenant with one member, Ana, joined to its private topic and hearing every broadcast on it. */
async function memberListening(open: OpenClient, sql: postgres.Sql) {
  const ana = crypto.randomUUID();
  const topic = await tenantWith(sql, [ana]);
  const heard = new Inbox<Broadcast>();
  await joined(
    (await open({ token: await userToken(cfg, ana) })).channel(topic, { config: { private: true } })
      .on("broadcast", { event: "*" }, heard.add),
  );
  return { topic, heard };
}

realtimeTest(
  "a message sent from SQL arrives once, after its transaction commits, and never after a rollback",
  () =>
    withClients(cfg, async (open, sql) => {
      const { topic, heard } = await memberListening(open, sql);
      const send = (db: Pick<typeof sql, "unsafe">, step: string) =>
        db.unsafe("select realtime.send($1::jsonb, 'note', $2, true)", [{ step }, topic]);

      await sql.begin(async (tx) => {
        await send(tx, "rolled back");
        throw new RolledBack();
      }).catch((e) => {
        if (!(e instanceof RolledBack)) throw e;
      });

      const held = await sql.reserve();
      try {
        await held`begin`;
        await send(held, "committed later");
        await send(sql, "committed first");
        await heard.next("the message committed first", (m) => m.payload.step === "committed first");
        deepStrictEqual(heard.items.map((m) => m.payload.step), ["committed first"]);
        await held`commit`;
      } finally {
        held.release();
      }
      await send(sql, "last");
      await heard.next("the last message", (m) => m.payload.step === "last");

      deepStrictEqual(heard.items.map((m) => m.payload.step), ["committed first", "committed later", "last"]);
      const ids =
        await sql`select id::text from realtime.messages where topic = ${topic} order by inserted_at`;
      for (const m of heard.items) {
        equal(m.type, "broadcast");
        equal(m.event, "note");
        equal(m.meta?.id, m.payload.id, "meta.id is the row id realtime.send also puts in the payload");
        equal(ids.filter((r) => r.id === m.meta?.id).length, 1);
      }
    }),
);

realtimeTest(
  "a row change broadcast by a trigger with realtime.broadcast_changes reaches the tenant's members",
  () =>
    withClients(cfg, async (open, sql) => {
      const ana = crypto.randomUUID();
      const topic = await tenantWith(sql, [ana]);
      const tenant = topic.slice("tenant:".length);
      const heard = new Inbox<Broadcast>();
      await joined(
        (await open({ token: await userToken(cfg, ana), vsn: "1.0.0" })).channel(topic, {
          config: { private: true },
        })
          .on("broadcast", { event: "INSERT" }, heard.add)
          .on("broadcast", { event: "UPDATE" }, heard.add),
      );
      const [{ id }] =
        await sql`insert into public.realtime_test_notes (tenant, body) values (${tenant}, 'hello')
      returning id::int`;
      await sql`update public.realtime_test_notes set body = 'hello again' where id = ${id}`;

      const update = await heard.next("the UPDATE broadcast", (m) => m.event === "UPDATE");
      const insert = heard.items.find((m) => m.event === "INSERT")!;
      deepStrictEqual(insert.payload, {
        id: insert.meta?.id,
        operation: "INSERT",
        schema: "public",
        table: "realtime_test_notes",
        record: { id, tenant, body: "hello" },
        old_record: null,
      });
      deepStrictEqual(update.payload.record, { id, tenant, body: "hello again" });
      deepStrictEqual(update.payload.old_record, { id, tenant, body: "hello" });
    }),
);

realtimeTest(
  "joining with replay first delivers the latest stored messages, marked as replayed",
  () =>
    withClients(cfg, async (open, sql) => {
      const ana = crypto.randomUUID();
      const topic = await tenantWith(sql, [ana]);
      for (const n of [1, 2, 3]) await sql`select realtime.send(${sql.json({ n })}, 'note', ${topic})`;
      const heard = new Inbox<Broadcast>();
      const replay = { since: Date.now() - 60_000, limit: 2 };
      await joined(
        (await open({ token: await userToken(cfg, ana) }))
          .channel(topic, { config: { private: true, broadcast: { replay } } })
          .on("broadcast", { event: "*" }, heard.add),
      );
      await sql`select realtime.send(${sql.json({ n: 4 })}, 'note', ${topic})`;
      await heard.next("the live message", (m) => m.payload.n === 4);
      deepStrictEqual(heard.items.map((m) => [m.payload.n, m.meta?.replayed ?? false]), [
        [2, true],
        [3, true],
        [4, false],
      ]);
    }),
);

realtimeTest(
  "a message committed while Realtime's replication connection reconnects still arrives, once",
  () =>
    withClients(cfg, async (open, sql) => {
      const { topic, heard } = await memberListening(open, sql);
      const [{ killed }] =
        await sql`select count(pg_terminate_backend(pid))::int as killed from pg_stat_activity
      where application_name = 'atende-realtime-replication'`;
      equal(killed, 1);
      await sql`select realtime.send(${sql.json({ n: 1 })}, 'note', ${topic})`;
      await heard.next("the message sent during the reconnection", (m) => m.payload.n === 1);
      await sql`select realtime.send(${sql.json({ n: 2 })}, 'note', ${topic})`;
      await heard.next("the next message", (m) => m.payload.n === 2);
      deepStrictEqual(heard.items.map((m) => m.payload.n), [1, 2]);
    }),
);
