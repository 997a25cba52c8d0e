// Realtime across a stack restart and dropped connections, each on a stack of its own (spawnStack) so it can be
// stopped, restarted or given short timeouts without disturbing the shared test stack.
import { deepStrictEqual, equal } from "node:assert/strict";
import type { StackConfig } from "../config.ts";
import { type SpawnOptions, spawnStack } from "../../test/spawn-stack.ts";
import { testPorts } from "../../test/env.ts";
import { waitFor } from "../../test/wait.ts";
import { type Broadcast, Inbox, joined, RawSocket, realtimeTest, withClients } from "../realtime/testing.ts";

async function withStack(
  opts: SpawnOptions,
  fn: (cfg: StackConfig, restart: () => Promise<void>) => Promise<void>,
) {
  let stack = await spawnStack(opts);
  try {
    await fn(stack.cfg, async () => {
      await stack.stop();
      stack = await spawnStack({ ...opts, reset: false });
    });
  } finally {
    await stack.stop();
  }
}

const restartable: SpawnOptions = {
  portBase: testPorts.api + 10,
  name: `realtime-restart-${testPorts.api + 10}`,
  reset: true,
};

realtimeTest(
  "a client reconnects by itself after the stack restarts and rejoins its channels",
  () =>
    withStack(restartable, (cfg, restart) =>
      withClients(cfg, async (open) => {
        const name = "room-across-restarts";
        const heard = new Inbox<Broadcast>();
        const [joinsA, joinsB] = [new Inbox<string>(), new Inbox<string>()];
        const a = (await open({ vsn: "1.0.0" })).channel(name);
        a.subscribe(joinsA.add);
        (await open()).channel(name).on("broadcast", { event: "*" }, heard.add).subscribe(joinsB.add);
        const subscribedTwice = (items: string[]) => items.filter((s) => s === "SUBSCRIBED").length >= 2;
        await joinsA.waitFor("A's first join", (s) => s.includes("SUBSCRIBED"));
        await joinsB.waitFor("B's first join", (s) => s.includes("SUBSCRIBED"));

        await restart();
        await joinsA.waitFor("A to rejoin after the restart", subscribedTwice, 60_000);
        await joinsB.waitFor("B to rejoin after the restart", subscribedTwice, 60_000);
        equal(await a.send({ type: "broadcast", event: "back", payload: { ok: true } }), "ok");
        const back = await heard.next("B to hear A after the restart", (m) => m.event === "back");
        deepStrictEqual(back.payload, { ok: true });
      })),
);

const shortTimeouts: SpawnOptions = {
  portBase: testPorts.api + 20,
  name: `realtime-timeouts-${testPorts.api + 20}`,
  reset: true,
  env: { ATENDE_REALTIME_IDLE_TIMEOUT_MS: "1500", ATENDE_REALTIME_PRUNE_INTERVAL_MS: "300" },
};

realtimeTest(
  "Realtime drops silent sockets and prunes old messages on its schedule",
  (t) =>
    withStack(shortTimeouts, (cfg) =>
      withClients(cfg, async (open, sql) => {
        await t.step(
          "a socket that goes silent leaves presence once the heartbeat timeout passes",
          async () => {
            const name = "presence-silent";
            const watcher = (await open({ heartbeatIntervalMs: 300 }))
              .channel(name, { config: { presence: { key: "w" } } })
              .on("presence", { event: "sync" }, () => {});
            await joined(watcher);

            const silent = await RawSocket.open(cfg);
            const joinRef = silent.nextRef();
            const topic = `realtime:${name}`;
            const joinConfig = { config: { presence: { key: "gone" } } };
            equal((await silent.call(topic, "phx_join", joinConfig, joinRef)).status, "ok");
            const track = { type: "presence", event: "track", payload: {} };
            equal((await silent.call(topic, "presence", track, joinRef)).status, "ok");
            await waitFor("the watcher to see the silent socket", () => "gone" in watcher.presenceState());

            // The socket stays open but sends nothing more, like a laptop whose network died.
            await waitFor("the silent socket to leave", () => !("gone" in watcher.presenceState()), 15_000);
            const closed = await silent.closed;
            deepStrictEqual([closed.code, closed.reason], [1000, "heartbeat timeout"]);
          },
        );

        await t.step("realtime.messages rows older than three days are pruned", async () => {
          await sql`insert into realtime.messages (topic, extension, event, payload, inserted_at) values
            ('old-topic', 'broadcast', 'e', '{}', localtimestamp - interval '73 hours'),
            ('new-topic', 'broadcast', 'e', '{}', localtimestamp - interval '71 hours')`;
          await waitFor(
            "the old row to be pruned",
            async () => (await sql`select 1 from realtime.messages where topic = 'old-topic'`).length === 0,
          );
          equal((await sql`select 1 from realtime.messages where topic = 'new-topic'`).length, 1);
        });
      })),
);
