// Broadcast through the offline stack's Realtime, seen through supabase-js on both protocol versions.
import { deepStrictEqual, equal } from "node:assert/strict";
import { testConfig } from "../../test/env.ts";
import { bothVsns, type Broadcast, Inbox, joined, realtimeTest, withClients } from "../realtime/testing.ts";

const cfg = testConfig();
const room = () => `room-${crypto.randomUUID()}`;

for (const vsn of bothVsns) {
  realtimeTest(
    `a broadcast reaches the other client but not its sender (vsn ${vsn})`,
    () =>
      withClients(cfg, async (open) => {
        const topic = room();
        const [a, b] = [new Inbox<Broadcast>(), new Inbox<Broadcast>()];
        const chA = await joined((await open({ vsn })).channel(topic).on("broadcast", { event: "*" }, a.add));
        const chB = await joined((await open({ vsn })).channel(topic).on("broadcast", { event: "*" }, b.add));

        equal(await chA.send({ type: "broadcast", event: "typing", payload: { agent: "ana" } }), "ok");
        const typing = await b.next("B to hear A typing", (m) => m.event === "typing");
        deepStrictEqual(typing, { type: "broadcast", event: "typing", payload: { agent: "ana" } });

        // A would have got its own message before B's answer, had it been sent back to it.
        await chB.send({ type: "broadcast", event: "seen", payload: {} });
        await a.next("A to hear B's answer", (m) => m.event === "seen");
        deepStrictEqual(a.items.map((m) => m.event), ["seen"]);
      }),
  );

  realtimeTest(
    `with self and ack the sender hears itself and send waits for the server (vsn ${vsn})`,
    () =>
      withClients(cfg, async (open) => {
        const topic = room();
        const [a, b] = [new Inbox<Broadcast>(), new Inbox<Broadcast>()];
        const chA = await joined(
          (await open({ vsn })).channel(topic, { config: { broadcast: { self: true, ack: true } } })
            .on("broadcast", { event: "note" }, a.add),
        );
        await joined((await open({ vsn })).channel(topic).on("broadcast", { event: "note" }, b.add));

        equal(await chA.send({ type: "broadcast", event: "note", payload: { n: 1 } }), "ok");
        await a.next("A to hear itself", (m) => m.payload.n === 1);
        await b.next("B to hear A", (m) => m.payload.n === 1);
      }),
  );
}

realtimeTest(
  "clients on vsn 1.0.0 and 2.0.0 hear each other on the same topic",
  () =>
    withClients(cfg, async (open) => {
      const topic = room();
      const [v1, v2] = [new Inbox<Broadcast>(), new Inbox<Broadcast>()];
      const chV1 = await joined(
        (await open({ vsn: "1.0.0" })).channel(topic).on("broadcast", { event: "*" }, v1.add),
      );
      const chV2 = await joined(
        (await open({ vsn: "2.0.0" })).channel(topic).on("broadcast", { event: "*" }, v2.add),
      );

      await chV2.send({ type: "broadcast", event: "from-v2", payload: { text: "olá 👋" } });
      const fromV2 = await v1.next("the v1 client to get the v2 binary broadcast", (m) =>
        m.event === "from-v2");
      deepStrictEqual(fromV2.payload, { text: "olá 👋" });

      await chV1.send({ type: "broadcast", event: "from-v1", payload: { list: [1, 2] } });
      const fromV1 = await v2.next("the v2 client to get the v1 broadcast", (m) =>
        m.event === "from-v1");
      deepStrictEqual(fromV1.payload, { list: [1, 2] });
    }),
);

realtimeTest(
  "the HTTP broadcast endpoints reach joined clients of both versions",
  () =>
    withClients(cfg, async (open) => {
      const topic = room();
      const [v1, v2] = [new Inbox<Broadcast>(), new Inbox<Broadcast>()];
      await joined((await open({ vsn: "1.0.0" })).channel(topic).on("broadcast", { event: "*" }, v1.add));
      await joined((await open({ vsn: "2.0.0" })).channel(topic).on("broadcast", { event: "*" }, v2.add));

      const id = crypto.randomUUID();
      const res = await fetch(`${cfg.apiUrl}/realtime/v1/api/broadcast`, {
        method: "POST",
        headers: { apikey: cfg.secretKey, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ topic, event: "batch", payload: { from: "server" }, id }] }),
      });
      equal(res.status, 202);
      await res.body?.cancel();
      for (const inbox of [v1, v2]) {
        const m = await inbox.next("the batch broadcast", (m) => m.event === "batch");
        deepStrictEqual(m, { type: "broadcast", event: "batch", payload: { from: "server" }, meta: { id } });
      }

      const sender = (await open()).channel(topic);
      deepStrictEqual(await sender.httpSend("single", { n: 2 }), { success: true });
      for (const inbox of [v1, v2]) await inbox.next("the httpSend broadcast", (m) => m.event === "single");

      // send() on a channel that is not joined falls back to the batch endpoint.
      const unjoined = (await open()).channel(topic);
      const warn = console.warn;
      console.warn = () => {};
      try {
        equal(await unjoined.send({ type: "broadcast", event: "fallback", payload: {} }), "ok");
      } finally {
        console.warn = warn;
      }
      await v2.next("the REST fallback broadcast", (m) => m.event === "fallback");
    }),
);

realtimeTest("the HTTP broadcast endpoint refuses an invalid token and an invalid batch", async () => {
  const post = async (headers: Record<string, string>, body: unknown) => {
    const res = await fetch(`${cfg.apiUrl}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: cfg.publishableKey, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const valid = { messages: [{ topic: "t", event: "e", payload: {} }] };
  deepStrictEqual(await post({ authorization: "Bearer not-a-jwt" }, valid), {
    status: 401,
    body: { message: "Unauthorized" },
  });
  const invalid = await post({}, { messages: [{ topic: "t", payload: "text" }] });
  equal(invalid.status, 422);
  deepStrictEqual(invalid.body.errors.messages[0], {
    event: ["can't be blank"],
    payload: ["can't be blank"],
  });
});
