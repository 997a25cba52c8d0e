// Inserts into realtime.messages as a logical replication stream, the way Supabase Realtime reads them
// (lib/realtime/tenants/replication_connection.ex): a publication on the table and a temporary pgoutput slot on a
// replication connection. Logical decoding hands over committed transactions in commit order, never rolled-back
// ones, with the row's values inline — and unlike NOTIFY it does not serialise the commits of the writers.
// Only the pgoutput messages needed are decoded: Relation (column names) and Insert.
// Protocol: https://www.postgresql.org/docs/15/protocol-replication.html, protocol-logicalrep-message-formats.html
import type { Duplex } from "node:stream";
import postgres from "npm:postgres@3.4.9";
import type { StackConfig } from "../config.ts";
import type { Sql } from "../db.ts";
import { logFailure } from "./log.ts";

export const PUBLICATION = "supabase_realtime_messages_publication";
const RETRY_MS = 1000;
const STATUS_EVERY_MS = 10_000;
/** Microseconds from the Unix epoch to Postgres's, 2000-01-01. */
const PG_EPOCH_US = 946_684_800_000_000n;
/** One decoder for the whole stream, rather than one per column value. */
const utf8 = new TextDecoder();

/** A row as pgoutput sends it: every value in its text form, null for SQL NULL. */
export type Row = Record<string, string | null>;

export interface InsertHandlers {
  onInsert(row: Row): void;
  /** Each time streaming (re)starts; `resumed` is true after a lost connection, when rows may have been missed. */
  onStart(resumed: boolean): void;
}

/** Creates the publication Realtime streams from, as Realtime itself does when it is missing. */
export async function ensurePublication(sql: Sql): Promise<void> {
  const [{ exists }] = await sql`select exists (select 1 from pg_publication where pubname = ${PUBLICATION})`;
  if (!exists) {
    await sql.unsafe(
      `create publication ${PUBLICATION} for table realtime.messages with (publish = 'insert')`,
    );
  }
}

interface Relation {
  schema: string;
  table: string;
  columns: string[];
}

class Reader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8 = () => this.bytes[this.pos++];
  u16 = () => (this.pos += 2, this.view.getUint16(this.pos - 2));
  u32 = () => (this.pos += 4, this.view.getUint32(this.pos - 4));
  skip = (n: number) => void (this.pos += n);
  cstring = () => {
    const end = this.bytes.indexOf(0, this.pos);
    const s = utf8.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  };
  text = (n: number) => utf8.decode(this.bytes.subarray(this.pos, this.pos += n));
}

/** Decodes one pgoutput message; returns the inserted row for an Insert, after Relation messages taught columns. */
function decode(
  message: Uint8Array,
  relations: Map<number, Relation>,
): { relation: Relation; row: Row } | null {
  const r = new Reader(message);
  const kind = String.fromCharCode(r.u8());
  if (kind === "R") {
    const id = r.u32();
    const schema = r.cstring();
    const table = r.cstring();
    r.skip(1); // replica identity
    const columns = Array.from({ length: r.u16() }, () => {
      r.skip(1); // flags
      const name = r.cstring();
      r.skip(8); // type oid, typmod
      return name;
    });
    relations.set(id, { schema, table, columns });
    return null;
  }
  if (kind !== "I") return null; // Begin, Commit, Type, Origin, and what the publication does not publish
  const relation = relations.get(r.u32());
  if (!relation) return null;
  r.skip(1); // 'N': a new tuple follows
  const row: Row = {};
  const count = r.u16();
  for (let i = 0; i < count; i++) {
    const k = String.fromCharCode(r.u8());
    row[relation.columns[i]] = k === "t" ? r.text(r.u32()) : null; // 'n' null; 'u' cannot occur in an insert
  }
  return { relation, row };
}

/** The standby status update that tells Postgres how far the slot may advance. */
function status(lsn: bigint): Uint8Array {
  const out = new Uint8Array(34);
  const view = new DataView(out.buffer);
  out[0] = "r".charCodeAt(0);
  for (const at of [1, 9, 17]) view.setBigUint64(at, lsn);
  view.setBigInt64(25, BigInt(Date.now()) * 1000n - PG_EPOCH_US);
  return out;
}

/** Streams inserts into realtime.messages until stopped, reconnecting after any failure. */
export function streamInserts(cfg: StackConfig, handlers: InsertHandlers): { stop(): Promise<void> } {
  let stopped = false;
  let current: { conn: postgres.Sql; lost: () => void } | null = null;

  const once = async (resumed: boolean): Promise<boolean> => {
    let lost = () => {};
    const closed = new Promise<void>((resolve) => lost = resolve);
    const conn = postgres(cfg.dbUrl, {
      max: 1,
      fetch_types: false,
      idle_timeout: 0,
      max_lifetime: null,
      onnotice: () => {},
      onclose: () => lost(),
      connection: { replication: "database", application_name: "atende-realtime-replication" },
    });
    current = { conn, lost };
    let started = false;
    try {
      const slot = `atende_realtime_${crypto.randomUUID().replaceAll("-", "")}`;
      const [{ consistent_point }] = await conn.unsafe(
        `CREATE_REPLICATION_SLOT ${slot} TEMPORARY LOGICAL pgoutput NOEXPORT_SNAPSHOT`,
      );
      const stream = await conn.unsafe(
        `START_REPLICATION SLOT ${slot} LOGICAL ${consistent_point} ` +
          `(proto_version '1', publication_names '${PUBLICATION}')`,
      ).writable() as unknown as Duplex;
      started = true;
      const relations = new Map<number, Relation>();
      let received = 0n;
      const ack = () => stream.write(status(received));
      const statusTimer = setInterval(ack, STATUS_EVERY_MS);
      stream.on("data", (chunk: Uint8Array) => {
        const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (chunk[0] === 0x77) { // 'w': XLogData, the pgoutput message after a 25-byte header
          const inserted = decode(chunk.subarray(25), relations);
          if (view.getBigUint64(9) > received) received = view.getBigUint64(9);
          if (inserted?.relation.schema === "realtime" && inserted.relation.table === "messages") {
            handlers.onInsert(inserted.row);
          }
        } else if (chunk[0] === 0x6b) { // 'k': keepalive; answer when the server asks
          if (view.getBigUint64(1) > received) received = view.getBigUint64(1);
          if (chunk[17]) ack();
        }
      });
      stream.on("close", lost);
      stream.on("error", lost);
      handlers.onStart(resumed);
      await closed;
      clearInterval(statusTimer);
    } catch (e) {
      if (!stopped) logFailure("ReplicationConnectionLost", e);
    } finally {
      await conn.end({ timeout: 0 }).catch(() => {});
    }
    return started;
  };

  const run = async () => {
    let resumed = false;
    while (!stopped) {
      if (await once(resumed)) resumed = true;
      if (!stopped) await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  };
  const running = run();

  return {
    async stop() {
      stopped = true;
      current?.lost();
      await running;
    },
  };
}
