// The one statement each request runs, shaped like PostgREST's (src/PostgREST/Query/Statements.hs): the rows go
// into a `pgrst_source` CTE, and one SELECT over them returns the counts, the rendered body and the GUCs a
// function may set to change the response.
import type { CallPlan, MutatePlan, ReadPlan } from "./plan-types.ts";
import { arrayLiteral } from "./quote.ts";
import type { Routine } from "./schema-cache.ts";
import { bodyAggregate, type BodyHandler, SOURCE, SqlBuilder, type Statement } from "./sql.ts";

const responseGucs = "nullif(current_setting('response.headers', true), '') AS response_headers, " +
  "nullif(current_setting('response.status', true), '') AS response_status";

function counting(b: SqlBuilder, plan: ReadPlan, counted: boolean): { cte: string; total: string } {
  return counted
    ? {
      cte: `, pgrst_source_count AS (${b.count(plan)})`,
      total: "(SELECT pg_catalog.count(*) FROM pgrst_source_count)",
    }
    : { cte: "", total: "null::bigint" };
}

export function readStatement(plan: ReadPlan, counted: boolean, handler: BodyHandler): Statement {
  const b = new SqlBuilder();
  const select = b.read(plan);
  const count = counting(b, plan, counted);
  return b.statement(
    `WITH ${SOURCE} AS ( ${select} ) ${count.cte} SELECT ${count.total} AS total_result_set, ` +
      `pg_catalog.count(_postgrest_t) AS page_total, (${
        bodyAggregate(handler)
      })::text AS body, ${responseGucs} ` +
      `FROM ( SELECT * FROM ${SOURCE} ) _postgrest_t`,
  );
}

/** The Location of a row inserted with return=headers-only: its primary key as `k=eq.v` filters. */
function locationOf(b: SqlBuilder, pkCols: string[]): string {
  const keys = `(WITH data AS (SELECT row_to_json(_) AS row FROM ${SOURCE} AS _ LIMIT 1) ` +
    `SELECT array_agg(json_data.key || '=' || coalesce('eq.' || json_data.value, 'is.null')) ` +
    `FROM data CROSS JOIN json_each_text(data.row) AS json_data ` +
    `WHERE json_data.key = ANY (${b.param(arrayLiteral(pkCols))}::text[]))`;
  return `CASE WHEN pg_catalog.count(_postgrest_t) = 1 THEN coalesce(${keys}, array[]::text[]) ELSE array[]::text[] END`;
}

export function writeStatement(
  plan: ReadPlan,
  mutation: MutatePlan,
  handler: BodyHandler,
  opts: { location: boolean; countInserted: boolean },
): Statement {
  const b = new SqlBuilder();
  const source = b.mutation(mutation);
  // Without a body, the rows are only counted; the select is left out so its columns need not be returned.
  const select = handler === "none" ? `SELECT * FROM ${SOURCE}` : b.read(plan);
  const location = opts.location && mutation.kind === "insert"
    ? locationOf(b, mutation.pkCols)
    : "array[]::text[]";
  const inserted = opts.countInserted
    ? "nullif(current_setting('pgrst.inserted', true),'')::int"
    : "null::int";
  return b.statement(
    `WITH ${SOURCE} AS (${source}) SELECT null::bigint AS total_result_set, ` +
      `pg_catalog.count(_postgrest_t) AS page_total, ${location} AS header, ` +
      `(${bodyAggregate(handler)})::text AS body, ${responseGucs}, ${inserted} AS response_inserted ` +
      `FROM (${select}) _postgrest_t`,
  );
}

export function callStatement(
  call: CallPlan,
  plan: ReadPlan,
  counted: boolean,
  handler: BodyHandler,
  routine: Routine,
): Statement {
  const b = new SqlBuilder();
  const source = b.call(call);
  const count = counting(b, plan, counted);
  const pageTotal = routine.returns.setOf ? "pg_catalog.count(_postgrest_t)" : "1";
  return b.statement(
    `WITH ${SOURCE} AS (${source}) ${count.cte} SELECT ${count.total} AS total_result_set, ` +
      `${pageTotal} AS page_total, (${bodyAggregate(handler, routine)})::text AS body, ${responseGucs} ` +
      `FROM (${b.read(plan)}) _postgrest_t`,
  );
}
