// Broadcast from Database: rows that realtime.send / realtime.broadcast_changes insert into realtime.messages
// reach the joined, authorised sockets as `broadcast` events with `meta.id`, in commit order.
//
// Path: the bootstrap's AFTER INSERT trigger NOTIFYs `realtime_messages` with the row id; NOTIFY is delivered on
// commit, in commit order, never on rollback. One dedicated connection LISTENs; ids are queued in arrival order
// and their rows fetched in batches, so a burst costs one query per batch rather than one per row. When the
// listening connection is lost, rows committed meanwhile are caught up by time once it is back, skipping ids
// already delivered. Rows older than the retention are pruned periodically.
import postgres from "npm:postgres@3.4.9";
import type { StackConfig } from "../config.ts";
import type { Sql } from "../db.ts";
import type { Hub } from "./hub.ts";
import { messagesById, messagesSince, pruneMessages, type StoredMessage } from "./messages.ts";
import { Fanout } from "./protocol.ts";
import type { RealtimeSettings } from "./settings.ts";

const CHANNEL = "realtime_messages";
/** How far before the newest delivered row a catch-up looks, for transactions that committed after it. */
const CATCH_UP_MARGIN_SECONDS = 60;
const REMEMBERED_IDS = 50_000;
const BATCH = 500;
const RETRY_MS = 1000;

const CATCH_UP = Symbol("catch up");
type Work = string | typeof CATCH_UP;

const utf8 = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (code: string, e: unknown) =>
  console.error(`realtime ${code}: ${e instanceof Error ? e.message : e}`);

export interface DatabaseBroadcast {
  stop(): Promise<void>;
}

export async function startDatabaseBroadcast(
  cfg: StackConfig,
  sql: Sql,
  hub: Hub,
  settings: RealtimeSettings,
): Promise<DatabaseBroadcast> {
  const work: Work[] = [];
  const delivered = new Set<string>(); // insertion-ordered, so the oldest ids are forgotten first
  let newest: string | null = null; // inserted_at of the newest row delivered, as Postgres prints it
  let draining = false;
  let stopped = false;
  let lost = () => {};

  const deliver = (m: StoredMessage) => {
    if (delivered.has(m.id)) return;
    delivered.add(m.id);
    if (delivered.size > REMEMBERED_IDS) delivered.delete(delivered.values().next().value!);
    if (newest === null || m.insertedAt > newest) newest = m.insertedAt;
    // Realtime skips rows without an event or payload, and payloads over the size limit.
    if (m.event === null || m.payload === null || m.payload.length > settings.maxPayloadBytes) return;
    const body = { userEvent: m.event, encoding: "json" as const, body: utf8.encode(m.payload) };
    hub.broadcast({ name: m.topic, private: m.private }, (topic) => Fanout.user(topic, body, { id: m.id }));
  };

  const nextRows = async (): Promise<StoredMessage[]> => {
    if (work[0] === CATCH_UP) {
      const rows = newest === null ? [] : await messagesSince(sql, newest, CATCH_UP_MARGIN_SECONDS);
      work.shift();
      return rows;
    }
    const until = work.indexOf(CATCH_UP);
    const ids = work.slice(0, Math.min(until === -1 ? work.length : until, BATCH)) as string[];
    const rows = await messagesById(sql, ids);
    work.splice(0, ids.length);
    return rows;
  };

  const drain = async () => {
    if (draining) return;
    draining = true;
    while (work.length > 0 && !stopped) {
      try {
        for (const m of await nextRows()) deliver(m);
      } catch (e) {
        fail("UnableToBroadcastChanges", e); // the work stays queued and is retried, in order
        await sleep(RETRY_MS);
      }
    }
    draining = false;
  };

  const enqueue = (item: Work) => {
    work.push(item);
    drain();
  };

  const listener = postgres(cfg.dbUrl, {
    max: 1,
    max_lifetime: null,
    idle_timeout: 0,
    onnotice: () => {},
    connection: { application_name: "atende-realtime-listener" },
    onclose: () => lost(),
    onnotify: (_channel: string, id: string) => enqueue(id),
  } as postgres.Options<Record<string, never>>);

  /** Keeps one LISTEN in place for the life of the service, catching up after every reconnection. */
  const listenForever = async (ready: () => void) => {
    let first = true;
    while (!stopped) {
      const dropped = new Promise<void>((r) => lost = r);
      try {
        await listener`listen ${listener(CHANNEL)}`;
        if (first) {
          newest = (await sql`select localtimestamp::text as now`)[0].now;
          first = false;
          ready();
        } else {
          enqueue(CATCH_UP);
        }
        await dropped;
      } catch (e) {
        fail("ReplicationConnectionLost", e);
      }
      if (!stopped) await sleep(RETRY_MS);
    }
  };
  await new Promise<void>((ready) => listenForever(ready));

  const prune = () =>
    pruneMessages(sql, settings.retentionHours).catch((e) => fail("UnableToPruneMessages", e));
  await prune();
  const pruner = setInterval(prune, settings.pruneEveryMs);

  return {
    async stop() {
      stopped = true;
      clearInterval(pruner);
      lost();
      await listener.end({ timeout: 1 });
    },
  };
}
