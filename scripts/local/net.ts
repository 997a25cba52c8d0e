// Performs the requests that net.http_post/http_get queue, as pg_net's background worker does: woken by
// NOTIFY, claims rows with SKIP LOCKED, records each response in net._http_response.
import type { Sql } from "./db.ts";

const BATCH = 50;

async function perform(
  row: {
    method: string;
    url: string;
    headers: Record<string, string> | null;
    body: Uint8Array | null;
    timeout_milliseconds: number;
  },
) {
  const signal = AbortSignal.timeout(row.timeout_milliseconds);
  try {
    const res = await fetch(row.url, {
      method: row.method,
      headers: row.headers ?? {},
      body: row.body && row.method !== "GET" ? new Uint8Array(row.body) : undefined,
      signal,
    });
    const content = await res.text();
    return {
      status_code: res.status,
      content_type: res.headers.get("content-type"),
      headers: Object.fromEntries(res.headers),
      content,
      timed_out: false,
      error_msg: null,
    };
  } catch (e) {
    const timedOut = signal.aborted;
    return {
      status_code: null,
      content_type: null,
      headers: null,
      content: null,
      timed_out: timedOut,
      error_msg: timedOut ? `Timeout of ${row.timeout_milliseconds} ms reached` : (e as Error).message,
    };
  }
}

export async function startNetWorker(sql: Sql): Promise<{ stop: () => Promise<void> }> {
  let draining: Promise<void> | null = null;
  let again = false;
  const drain = (): Promise<void> => {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      do {
        again = false;
        const rows = await sql`
          delete from net.http_request_queue where id in (
            select id from net.http_request_queue order by id limit ${BATCH} for update skip locked)
          returning *`;
        await Promise.all(rows.map(async (row) => {
          const result = await perform(row as never);
          if (result.error_msg) console.error(`[net] ${row.method} ${row.url}: ${result.error_msg}`);
          await sql`insert into net._http_response ${sql({ id: row.id, ...result } as never)}`;
        }));
        if (rows.length === BATCH) again = true;
      } while (again);
    })().catch((e) => console.error("[net] worker failed:", e)).finally(() => draining = null);
    return draining;
  };
  const listener = await sql.listen("net_http_request", () => void drain());
  const prune = setInterval(
    () =>
      void sql`delete from net._http_response where created < now() - interval '6 hours'`
        .catch(() => {}),
    60 * 60 * 1000,
  );
  await drain();
  return {
    async stop() {
      clearInterval(prune);
      await listener.unlisten();
      await draining;
    },
  };
}
