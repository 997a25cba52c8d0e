// Presence through the offline stack's Realtime, as supabase-js's presenceState() and sync/join/leave see it.
import { deepStrictEqual, equal } from "node:assert/strict";
import type { RealtimeChannel, SupabaseClient } from "npm:@supabase/supabase-js@2.119.1";
import { testConfig } from "../../test/env.ts";
import { waitFor } from "../../test/wait.ts";
import { bothVsns, Inbox, joined, realtimeTest, withClients } from "../realtime/testing.ts";

const cfg = testConfig();

interface PresenceEvent {
  event: string;
  key?: string;
  newPresences?: Record<string, unknown>[];
  leftPresences?: Record<string, unknown>[];
}

/** presenceState() without the server-made refs: key → the tracked payloads. */
function who(channel: RealtimeChannel): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(channel.presenceState()).map(([key, metas]) => [
      key,
      metas.map(({ presence_ref: _ref, ...fields }) => fields),
    ]),
  );
}

function presenceChannel(client: SupabaseClient, topic: string, key: string) {
  const events = new Inbox<PresenceEvent>();
  const channel = client.channel(topic, { config: { presence: { key } } })
    .on("presence", { event: "sync" }, () => events.add({ event: "sync" }))
    .on("presence", { event: "join" }, (e) => events.add(e as PresenceEvent))
    .on("presence", { event: "leave" }, (e) => events.add(e as PresenceEvent));
  return { channel, events };
}

for (const vsn of bothVsns) {
  realtimeTest(
    `agents see each other come online, and go offline when a socket disconnects (vsn ${vsn})`,
    () =>
      withClients(cfg, async (open) => {
        const topic = `presence-${crypto.randomUUID()}`;
        const ana = presenceChannel(await open({ vsn }), topic, "ana");
        const bruno = presenceChannel(await open({ vsn }), topic, "bruno");
        await joined(ana.channel);
        await ana.events.next("Ana's first sync", (e) => e.event === "sync");
        equal(await ana.channel.track({ name: "Ana", status: "online" }), "ok");

        await joined(bruno.channel);
        await bruno.events.next("Bruno to see Ana in the state", () => "ana" in who(bruno.channel));
        equal(await bruno.channel.track({ name: "Bruno", status: "online" }), "ok");

        const anaSeesBruno = await ana.events.next(
          "Ana to see Bruno join",
          (e) => e.event === "join" && e.key === "bruno",
        );
        deepStrictEqual(anaSeesBruno.newPresences?.map(({ presence_ref: _r, ...f }) => f), [
          { name: "Bruno", status: "online" },
        ]);
        await waitFor(
          "both agents in both states",
          () => ["ana", "bruno"].every((k) => k in who(ana.channel) && k in who(bruno.channel)),
        );
        deepStrictEqual(who(ana.channel), {
          ana: [{ name: "Ana", status: "online" }],
          bruno: [{ name: "Bruno", status: "online" }],
        });

        bruno.channel.socket.disconnect();
        const left = await ana.events.next(
          "Ana to see Bruno leave",
          (e) => e.event === "leave" && e.key === "bruno",
        );
        deepStrictEqual(left.leftPresences?.map(({ presence_ref: _r, ...f }) => f), [
          { name: "Bruno", status: "online" },
        ]);
        deepStrictEqual(who(ana.channel), { ana: [{ name: "Ana", status: "online" }] });
      }),
  );
}

realtimeTest(
  "tracking again with a new payload replaces the old one, and untrack removes it",
  () =>
    withClients(cfg, async (open) => {
      const topic = `presence-${crypto.randomUUID()}`;
      const ana = presenceChannel(await open(), topic, "ana");
      const watcher = presenceChannel(await open({ vsn: "1.0.0" }), topic, "watcher");
      await joined(ana.channel);
      await joined(watcher.channel);

      await ana.channel.track({ status: "online" });
      await waitFor("the watcher to see Ana online", () => who(watcher.channel).ana?.length === 1);
      await ana.channel.track({ status: "away" });
      await waitFor(
        "the watcher to see Ana away",
        () => (who(watcher.channel).ana?.[0] as { status: string })?.status === "away",
      );
      deepStrictEqual(who(watcher.channel), { ana: [{ status: "away" }] });

      await ana.channel.untrack();
      await waitFor("the watcher to see Ana gone", () => !("ana" in who(watcher.channel)));
    }),
);
