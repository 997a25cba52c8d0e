// Private channels authorised by RLS policies on realtime.messages (the test migration
// 20000101000200_realtime_policies.sql opens `tenant:<name>` to that tenant's members).
import { deepStrictEqual, equal, match } from "node:assert/strict";
import { testConfig } from "../../test/env.ts";
import {
  type Broadcast,
  Inbox,
  join,
  joined,
  realtimeTest,
  tenantWith,
  userToken,
  withClients,
} from "../realtime/testing.ts";

const cfg = testConfig();
const privately = { config: { private: true } };

interface SystemMessage {
  extension: string;
  status: string;
  message: string;
  channel: string;
}

realtimeTest(
  "a tenant member joins the tenant's private channel and a non-member is refused",
  () =>
    withClients(cfg, async (open, sql) => {
      const [ana, bruno, stranger] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      const topic = await tenantWith(sql, [ana, bruno]);
      const heard = new Inbox<Broadcast>();

      const chAna = await joined(
        (await open({ token: await userToken(cfg, ana) })).channel(topic, privately),
      );
      await joined(
        (await open({ token: await userToken(cfg, bruno), vsn: "1.0.0" })).channel(topic, privately)
          .on("broadcast", { event: "*" }, heard.add),
      );
      const refused = await join(
        (await open({ token: await userToken(cfg, stranger) })).channel(topic, privately),
      );
      deepStrictEqual(refused, {
        status: "CHANNEL_ERROR",
        message: `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`,
      });
      const anonymous = await join((await open()).channel(topic, privately));
      equal(anonymous.status, "CHANNEL_ERROR");

      await chAna.send({ type: "broadcast", event: "typing", payload: { conversation: 7 } });
      const m = await heard.next("Bruno to hear Ana on the private channel", (m) => m.event === "typing");
      deepStrictEqual(m.payload, { conversation: 7 });
    }),
);

realtimeTest(
  "a private channel and a public channel of the same name do not hear each other",
  () =>
    withClients(cfg, async (open, sql) => {
      const ana = crypto.randomUUID();
      const topic = await tenantWith(sql, [ana]);
      const [privateSide, publicSide] = [new Inbox<Broadcast>(), new Inbox<Broadcast>()];
      const token = await userToken(cfg, ana);
      const chPrivate = await joined(
        (await open({ token })).channel(topic, { config: { private: true, broadcast: { self: true } } })
          .on("broadcast", { event: "*" }, privateSide.add),
      );
      const chPublic = await joined(
        (await open({ token })).channel(topic, { config: { broadcast: { self: true } } })
          .on("broadcast", { event: "*" }, publicSide.add),
      );
      await chPrivate.send({ type: "broadcast", event: "secret", payload: {} });
      await chPublic.send({ type: "broadcast", event: "open", payload: {} });
      await privateSide.next("the private echo", (m) => m.event === "secret");
      await publicSide.next("the public echo", (m) => m.event === "open");
      deepStrictEqual(privateSide.items.map((m) => m.event), ["secret"]);
      deepStrictEqual(publicSide.items.map((m) => m.event), ["open"]);
    }),
);

realtimeTest(
  "HTTP broadcasts to a private topic arrive only when the sender may write to it",
  () =>
    withClients(cfg, async (open, sql) => {
      const [ana, stranger] = [crypto.randomUUID(), crypto.randomUUID()];
      const topic = await tenantWith(sql, [ana]);
      const heard = new Inbox<Broadcast>();
      await joined(
        (await open({ token: await userToken(cfg, ana) })).channel(topic, privately).on(
          "broadcast",
          { event: "*" },
          heard.add,
        ),
      );
      const post = async (sub: string, event: string) => {
        const res = await fetch(`${cfg.apiUrl}/realtime/v1/api/broadcast`, {
          method: "POST",
          headers: {
            apikey: cfg.publishableKey,
            authorization: `Bearer ${await userToken(cfg, sub)}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({ messages: [{ topic, event, payload: {}, private: true }] }),
        });
        await res.body?.cancel();
        return res.status;
      };
      equal(await post(stranger, "from-stranger"), 202);
      equal(await post(ana, "from-member"), 202);
      await heard.next("the member's message", (m) => m.event === "from-member");
      deepStrictEqual(heard.items.map((m) => m.event), ["from-member"]);
    }),
);

realtimeTest(
  "an access token that expires closes the private channel with Realtime's system error",
  () =>
    withClients(cfg, async (open, sql) => {
      const ana = crypto.randomUUID();
      const topic = await tenantWith(sql, [ana]);
      const system = new Inbox<SystemMessage>();
      const statuses = new Inbox<string>();
      const channel = (await open({ token: await userToken(cfg, ana, 2) })).channel(topic, privately)
        .on("system", {}, system.add);
      channel.subscribe(statuses.add);
      await statuses.next("the join", (s) => s === "SUBSCRIBED");

      const notice = await system.next("the expiry notice", (m) => m.status === "error");
      match(notice.message, /^Token has expired \d+ seconds ago$/);
      deepStrictEqual({ ...notice, message: "" }, {
        extension: "system",
        status: "error",
        message: "",
        channel: topic,
      });
      await statuses.next("the channel to close", (s) => s === "CLOSED");
    }),
);

realtimeTest(
  "a refreshed token re-checks the policies and closes the channel for a user who left the tenant",
  () =>
    withClients(cfg, async (open, sql) => {
      const ana = crypto.randomUUID();
      const topic = await tenantWith(sql, [ana]);
      let token = await userToken(cfg, ana);
      const client = await open({ token: () => token });
      const system = new Inbox<SystemMessage>();
      const statuses = new Inbox<string>();
      client.channel(topic, privately).on("system", {}, system.add).subscribe(statuses.add);
      await statuses.next("the join", (s) => s === "SUBSCRIBED");

      await sql`delete from public.realtime_test_members where user_id = ${ana}`;
      token = await userToken(cfg, ana, 900);
      await client.realtime.setAuth();
      const notice = await system.next("the revocation notice", (m) => m.status === "error");
      equal(notice.message, `You do not have permissions to read from this Channel topic: ${topic}`);
      await statuses.next("the channel to close", (s) => s === "CLOSED");
    }),
);
