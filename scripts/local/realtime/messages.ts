// Reading and pruning realtime.messages, the table behind Broadcast from Database.
import type { Sql } from "../db.ts";

export interface StoredMessage {
  id: string;
  topic: string;
  event: string | null;
  private: boolean;
  /** The jsonb payload as JSON text, passed to clients without a parse. */
  payload: string | null;
  /** inserted_at as Postgres prints it, kept as text so no precision is lost. */
  insertedAt: string;
}

const columns = (sql: Sql) =>
  sql`id::text, topic, event, private, payload::text as payload, inserted_at::text as "insertedAt"`;

/** Broadcast rows inserted after `insertedAfter` (minus a margin for transactions that committed late). */
export function messagesSince(
  sql: Sql,
  insertedAfter: string,
  marginSeconds: number,
): Promise<StoredMessage[]> {
  return sql<StoredMessage[]>`select ${columns(sql)} from realtime.messages
    where extension = 'broadcast'
      and inserted_at > ${insertedAfter}::timestamp - make_interval(secs => ${marginSeconds})
    order by inserted_at, id`;
}

/** Realtime's replay: the latest `limit` (1…25) private broadcasts on a topic since a time in ms, oldest first. */
export async function replayable(
  sql: Sql,
  topic: string,
  sinceMs: number,
  limit: number,
): Promise<StoredMessage[]> {
  const rows = await sql<StoredMessage[]>`select ${columns(sql)} from realtime.messages
    where topic = ${topic} and private and extension = 'broadcast'
      and inserted_at >= to_timestamp(${sinceMs}::float8 / 1000)::timestamp
      and inserted_at < localtimestamp + interval '1 minute'
    order by inserted_at desc limit ${Math.max(1, Math.min(limit, 25))}`;
  return rows.reverse();
}

/** Deletes rows older than the retention; returns how many went. */
export async function pruneMessages(sql: Sql, retentionHours: number): Promise<number> {
  const result = await sql`delete from realtime.messages
    where inserted_at < localtimestamp - make_interval(hours => ${retentionHours})`;
  return result.count;
}
