// Broadcast from Database: rows that realtime.send / realtime.broadcast_changes insert into realtime.messages
// reach the joined, authorised sockets as `broadcast` events with `meta.id`, in commit order.
//
// Rows come from logical replication (replication.ts), in commit order with their payload inline. When the
// replication connection is lost, rows committed meanwhile are caught up by time once it is back, skipping ids
// already delivered; deliveries wait behind that catch-up so the order holds. Rows older than the retention are
// pruned periodically.
import type { StackConfig } from "../config.ts";
import type { Sql } from "../db.ts";
import type { Hub } from "./hub.ts";
import { logFailure } from "./log.ts";
import { messagesSince, pruneMessages, type StoredMessage } from "./messages.ts";
import { Fanout } from "./protocol.ts";
import { ensurePublication, type Row, streamInserts } from "./replication.ts";
import type { RealtimeSettings } from "./settings.ts";

/** How far before the newest delivered row a catch-up looks, for transactions that committed after it. */
const CATCH_UP_MARGIN_SECONDS = 60;
const REMEMBERED_IDS = 50_000;
const RETRY_MS = 1000;
const START_TIMEOUT_MS = 30_000;

const utf8 = new TextEncoder();

function stored(row: Row): StoredMessage | null {
  if (row.extension !== "broadcast" || !row.id || !row.topic || !row.inserted_at) return null;
  return {
    id: row.id,
    topic: row.topic,
    event: row.event,
    private: row.private === "t",
    payload: row.payload,
    insertedAt: row.inserted_at,
  };
}

const NO_REPLICATION = "Realtime could not start logical replication of realtime.messages: it needs " +
  "wal_level = logical and a free replication slot (see the errors above)";

/** A stack that cannot stream from its database says so at start instead of hanging. */
async function startedWithin(started: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), ms));
  const outcome = await Promise.race([started.then(() => true), late]);
  clearTimeout(timer);
  return outcome;
}

export interface DatabaseBroadcast {
  stop(): Promise<void>;
}

export async function startDatabaseBroadcast(
  cfg: StackConfig,
  sql: Sql,
  hub: Hub,
  settings: RealtimeSettings,
): Promise<DatabaseBroadcast> {
  const delivered = new Set<string>(); // insertion-ordered, so the oldest ids are forgotten first
  let newest: string = (await sql`select localtimestamp::text as now`)[0].now; // inserted_at of the newest row
  let catchingUp: Promise<void> | null = null;
  const waiting: StoredMessage[] = [];

  const deliver = (m: StoredMessage) => {
    if (delivered.has(m.id)) return;
    delivered.add(m.id);
    if (delivered.size > REMEMBERED_IDS) delivered.delete(delivered.values().next().value!);
    if (m.insertedAt > newest) newest = m.insertedAt; // same text format, so text order is time order
    // Realtime skips rows without an event or payload, and payloads over the size limit.
    if (m.event === null || m.payload === null || m.payload.length > settings.maxPayloadBytes) return;
    const { event, payload } = m;
    // Encoded only for a topic someone has joined: most rows (an inbox nobody has open) reach no socket.
    hub.broadcast(
      { name: m.topic, private: m.private },
      (topic) =>
        Fanout.user(topic, { userEvent: event, encoding: "json", body: utf8.encode(payload) }, { id: m.id }),
    );
  };

  const catchUp = async () => {
    for (;;) {
      try {
        for (const m of await messagesSince(sql, newest, CATCH_UP_MARGIN_SECONDS)) deliver(m);
        break;
      } catch (e) {
        logFailure("UnableToCatchUp", e);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
    for (const m of waiting.splice(0)) deliver(m);
    catchingUp = null;
  };

  await ensurePublication(sql);
  let started!: () => void;
  const streaming = new Promise<void>((resolve) => started = resolve);
  const replication = streamInserts(cfg, {
    onInsert(row) {
      const m = stored(row);
      if (!m) return;
      if (catchingUp) waiting.push(m);
      else deliver(m);
    },
    onStart(resumed) {
      if (resumed) catchingUp ??= catchUp();
      started();
    },
  });
  if (!await startedWithin(streaming, START_TIMEOUT_MS)) {
    await replication.stop();
    throw new Error(NO_REPLICATION);
  }

  const prune = () =>
    pruneMessages(sql, settings.retentionHours).catch((e) => logFailure("UnableToPruneMessages", e));
  await prune();
  const pruner = setInterval(prune, settings.pruneEveryMs);

  return {
    async stop() {
      clearInterval(pruner);
      await replication.stop();
    },
  };
}
