// The Realtime wire protocol with a raw WebSocket: what supabase-js never sends wrong, and abuse a bad client
// might try. The server answers with Phoenix's replies or closes the socket cleanly, and keeps serving others.
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { testConfig } from "../../test/env.ts";
import { signJwt } from "../jwt.ts";
import {
  type Broadcast,
  Inbox,
  join,
  joined,
  RawSocket,
  realtimeTest,
  withClients,
} from "../realtime/testing.ts";

const cfg = testConfig();
const topic = () => `realtime:proto-${crypto.randomUUID()}`;

realtimeTest("heartbeats are answered on both protocol versions", async () => {
  const v2 = await RawSocket.open(cfg, "2.0.0");
  deepStrictEqual(await v2.call("phoenix", "heartbeat", {}), { status: "ok", response: {} });
  await v2.close();

  const v1 = await RawSocket.open(cfg, "1.0.0");
  v1.send(JSON.stringify({ topic: "phoenix", event: "heartbeat", payload: {}, ref: "7" }));
  const reply = await v1.nextObject("the v1 heartbeat reply", (m) => m.ref === "7");
  deepStrictEqual(reply, {
    topic: "phoenix",
    event: "phx_reply",
    payload: { status: "ok", response: {} },
    ref: "7",
  });
  await v1.close();
});

realtimeTest("join, leave and messages to topics never joined get Phoenix's replies", async () => {
  const socket = await RawSocket.open(cfg);
  const t = topic();
  const joinRef = socket.nextRef();
  socket.send([joinRef, joinRef, t, "phx_join", { config: { broadcast: { ack: true } } }]);
  const joinedReply = await socket.next("the join reply", (f) => f[1] === joinRef);
  deepStrictEqual(joinedReply, [joinRef, joinRef, t, "phx_reply", {
    status: "ok",
    response: { postgres_changes: [] },
  }]);

  deepStrictEqual(await socket.call(topic(), "broadcast", { type: "broadcast", event: "e", payload: {} }), {
    status: "error",
    response: { reason: "unmatched topic" },
  });
  deepStrictEqual(await socket.call("elsewhere", "phx_join", {}), {
    status: "error",
    response: { reason: "unmatched topic" },
  });
  deepStrictEqual(await socket.call("realtime:", "phx_join", {}), {
    status: "error",
    response: { reason: "TopicNameRequired: You must provide a topic name" },
  });

  deepStrictEqual(await socket.call(t, "phx_leave", {}, joinRef), { status: "ok", response: {} });
  await socket.next("the phx_close after leaving", (f) => f[3] === "phx_close" && f[1] === joinRef);
  deepStrictEqual(
    await socket.call(t, "phx_leave", {}),
    { status: "ok", response: {} },
    "leaving again is fine",
  );
  await socket.close();
});

realtimeTest("an unknown event gets an error reply and the socket stays usable", async () => {
  const socket = await RawSocket.open(cfg);
  const t = topic();
  const joinRef = socket.nextRef();
  equal((await socket.call(t, "phx_join", {}, joinRef)).status, "ok");
  deepStrictEqual(await socket.call(t, "make_coffee", {}, joinRef), {
    status: "error",
    response: { reason: "UnknownEvent: make_coffee" },
  });
  deepStrictEqual(await socket.call(t, "presence", { type: "presence", event: "dance" }, joinRef), {
    status: "error",
    response: {},
  });
  deepStrictEqual(
    await socket.call(t, "presence", { type: "presence", event: "track", payload: "x" }, joinRef),
    {
      status: "error",
      response: { reason: "Presence track payload must be a map" },
    },
  );
  deepStrictEqual(await socket.call("phoenix", "heartbeat", {}), { status: "ok", response: {} });
  await socket.close();
});

for (
  const [what, frame] of [
    ["malformed JSON", "[1, 2, "],
    [
      "a JSON object on vsn 2.0.0",
      JSON.stringify({ topic: "phoenix", event: "heartbeat", payload: {}, ref: "1" }),
    ],
    ["binary garbage", new Uint8Array([0xff, 0x00, 0x13, 0x37])],
    ["a truncated binary broadcast", new Uint8Array([3, 1, 1, 40, 1, 0, 1, 0x31])],
  ] as const
) {
  realtimeTest(`${what} closes the socket cleanly and the server keeps serving`, async () => {
    const socket = await RawSocket.open(cfg);
    socket.send(frame);
    const closed = await socket.closed;
    equal(closed.code, 1007);
    match(closed.reason, /^malformed frame/);

    const next = await RawSocket.open(cfg);
    deepStrictEqual(await next.call("phoenix", "heartbeat", {}), { status: "ok", response: {} });
    await next.close();
  });
}

realtimeTest(
  "a join asking for postgres_changes is refused with a clear reason instead of hanging",
  () =>
    withClients(cfg, async (open) => {
      const channel = (await open()).channel(`changes-${crypto.randomUUID()}`)
        .on("postgres_changes", { event: "*", schema: "public", table: "messages" }, () => {});
      const outcome = await join(channel);
      equal(outcome.status, "CHANNEL_ERROR");
      match(outcome.message!, /^PostgresChangesNotSupported: postgres_changes is not available/);
    }),
);

realtimeTest(
  "a socket upgrade with a bad token or protocol version is refused with Realtime's errors",
  async () => {
    const upgrade = async (headers: Record<string, string>, vsn = "2.0.0") => {
      const res = await fetch(`${cfg.apiUrl}/realtime/v1/websocket?apikey=${cfg.publishableKey}&vsn=${vsn}`, {
        headers,
      });
      return { status: res.status, body: await res.json() };
    };
    const expired = await signJwt({ role: "anon", exp: Math.floor(Date.now() / 1000) - 10 }, cfg.jwtSecret);
    deepStrictEqual(await upgrade({ "x-api-key": expired }), {
      status: 401,
      body: { error: "Token has expired" },
    });
    const noExp = await signJwt({ role: "anon" }, cfg.jwtSecret);
    deepStrictEqual(await upgrade({ "x-api-key": noExp }), {
      status: 401,
      body: { error: "Fields `role` and `exp` are required in JWT" },
    });
    const forged = await signJwt(
      { role: "service_role", exp: 4102444800 },
      "not-the-secret-not-the-secret-0123",
    );
    deepStrictEqual(await upgrade({ "x-api-key": forged }), {
      status: 401,
      body: { error: "Failed to validate JWT signature" },
    });
    deepStrictEqual(await upgrade({}, "3.0.0"), {
      status: 403,
      body: { error: "Unsupported protocol version 3.0.0" },
    });
  },
);

realtimeTest(
  "a flood from one socket shuts its channels down and leaves other clients unaffected",
  () =>
    withClients(cfg, async (open) => {
      const name = `flood-${crypto.randomUUID()}`;
      const t = `realtime:${name}`;
      const heard = new Inbox<Broadcast>();
      const calm = await joined((await open()).channel(name).on("broadcast", { event: "*" }, heard.add));

      const flooder = await RawSocket.open(cfg);
      const joinRef = flooder.nextRef();
      equal((await flooder.call(t, "phx_join", {}, joinRef)).status, "ok");
      for (let i = 0; i < 1000; i++) {
        flooder.send([joinRef, null, t, "broadcast", { type: "broadcast", event: "spam", payload: { i } }]);
      }
      const notice = await flooder.next("the flooder's shutdown notice", (f) => f[3] === "system");
      deepStrictEqual(notice[4], {
        extension: "system",
        status: "error",
        message: "Too many messages per second",
        channel: name,
      });
      await flooder.next("the flooder's channel to close", (f) => f[3] === "phx_close");
      ok(heard.items.length < 1000, "most of the flood was dropped");

      const other = await joined((await open({ vsn: "1.0.0" })).channel(name));
      await other.send({ type: "broadcast", event: "still-here", payload: {} });
      await heard.next("a normal message after the flood", (m) => m.event === "still-here");
      await calm.unsubscribe();
      await flooder.close();
    }),
);

realtimeTest(
  "a thousand idle sockets do not stop the server from serving a working client",
  () =>
    withClients(cfg, async (open) => {
      const idle = await Promise.all(Array.from({ length: 1000 }, () => RawSocket.open(cfg)));
      try {
        const name = `busy-${crypto.randomUUID()}`;
        const heard = new Inbox<Broadcast>();
        await joined((await open()).channel(name).on("broadcast", { event: "*" }, heard.add));
        const sender = await joined((await open({ vsn: "1.0.0" })).channel(name));
        await sender.send({ type: "broadcast", event: "hello", payload: {} });
        await heard.next("the broadcast among idle sockets", (m) => m.event === "hello");
      } finally {
        await Promise.all(idle.map((s) => s.close()));
      }
    }),
);
