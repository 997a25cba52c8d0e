// Which big tables autovacuum worked on while a row ran. A round over tables the earlier rows filled costs the
// machine I/O and CPU for seconds; on 2 cores it lands in whichever row is running then (every 60 s, the
// launcher's naptime), so a row's figures say whether it paid for one.
import type postgres from "npm:postgres@3.4.9";

/** Tables under this many pages are vacuumed in milliseconds: not worth a mention. */
const MIN_PAGES = 1000;

/** Starts watching; `end()` lists the tables vacuumed or analyzed at any moment since, running ones included. */
export async function watchAutovacuum(sql: postgres.Sql) {
  const [{ since }] = await sql<{ since: Date }[]>`select clock_timestamp() as since`;
  return {
    async end(): Promise<string[]> {
      const rows = await sql<{ name: string }[]>`
        with touched as (
          select relid from pg_stat_all_tables where last_autovacuum >= ${since} or last_autoanalyze >= ${since}
          union
          select to_regclass(substring(query from 'autovacuum: (?:VACUUM|ANALYZE)(?: ANALYZE)? ([^ ]+)'))::oid
          from pg_stat_activity where backend_type = 'autovacuum worker')
        select c.oid::regclass::text as name from touched t join pg_class c on c.oid = t.relid
        where c.relpages >= ${MIN_PAGES} order by 1`;
      return rows.map((r) => r.name);
    },
  };
}

/** A row's note: the tables autovacuum worked on meanwhile, or "none". */
export const autovacuumNote = (tables: string[]) => tables.length ? tables.join(", ") : "none";
