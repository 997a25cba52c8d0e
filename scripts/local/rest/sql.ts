// Renders plans into the statements PostgREST sends (src/PostgREST/Query/QueryBuilder.hs, SqlFragment.hs,
// Statements.hs). Every value is a parameter of unknown type so Postgres infers it from the column, as PostgREST's
// hasql `unknown` encoder does; identifiers are quoted; Postgres itself builds the JSON.
import type {
  CallPlan,
  JoinCondition,
  LogicTree,
  MutatePlan,
  OrderTerm,
  ReadPlan,
  SelectField,
  TableRef,
  TypedField,
} from "./plan-types.ts";
import type { JsonStep } from "./query-params.ts";
import { isAllRows, type Range, rangeLimit } from "./range.ts";
import {
  isToOne,
  returnsScalar,
  returnsSetOfScalar,
  returnsSingleComposite,
  type Routine,
} from "./schema-cache.ts";
import type { Rendering } from "./media.ts";
import { arrayLiteral, ident } from "./quote.ts";

export interface Statement {
  text: string;
  params: (string | null)[];
}

const fromQi = (t: TableRef) => (t.schema ? `${ident(t.schema)}.` : "") + ident(t.name);
const column = (t: TableRef, c: string) => (c === "*" ? `${fromQi(t)}.*` : `${fromQi(t)}.${ident(c)}`);

const quantOps = {
  eq: "=",
  gte: ">=",
  gt: ">",
  lte: "<=",
  lt: "<",
  like: "like",
  ilike: "ilike",
  match: "~",
  imatch: "~*",
};
const simpleOps = {
  neq: "<>",
  cs: "@>",
  cd: "<@",
  ov: "&&",
  sl: "<<",
  sr: ">>",
  nxr: "&<",
  nxl: "&>",
  adj: "-|-",
};
const ftsOps = {
  fts: "@@ to_tsquery",
  plfts: "@@ plainto_tsquery",
  phfts: "@@ phraseto_tsquery",
  wfts: "@@ websearch_to_tsquery",
};
const isSql = { null: "NULL", not_null: "NOT NULL", true: "TRUE", false: "FALSE", unknown: "UNKNOWN" };

export const SOURCE = "pgrst_source";

/** The aggregate that turns the rows of `_postgrest_t` into the response body. */
export type BodyHandler = Rendering | "none";

export class SqlBuilder {
  readonly params: (string | null)[] = [];

  param(value: string | null): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  statement(text: string): Statement {
    return { text, params: this.params };
  }

  private jsonPath(path: JsonStep[]): string {
    return path.map((s) => s.arrow + (s.isIndex ? `${this.param(s.key)}::int` : this.param(s.key))).join("");
  }

  field(table: TableRef, f: TypedField): string {
    const col = column(table, f.name);
    const plain = f.jsonPath.length === 0
      ? col
      : f.toJson
      ? `to_jsonb(${col})${this.jsonPath(f.jsonPath)}`
      : `${col}${this.jsonPath(f.jsonPath)}`;
    if (!f.toTsVector) return plain;
    const lang = f.toTsVector.language;
    return `to_tsvector(${lang === undefined ? "" : `${this.param(lang)}, `}${plain})`;
  }

  private selectItem(table: TableRef, s: SelectField): string {
    const value = s.cast ? `CAST( ${this.field(table, s.field)} AS ${s.cast} )` : this.field(table, s.field);
    return s.alias ? `${value} AS ${ident(s.alias)}` : value;
  }

  private filter(table: TableRef, t: Extract<LogicTree, { kind: "filter" }>): string {
    const op = t.operation;
    const value = (): string => {
      switch (op.kind) {
        case "simple":
          return ` ${simpleOps[op.op]} ${this.param(op.value)}`;
        case "quant": {
          const v = this.param(
            op.op === "like" || op.op === "ilike" ? op.value.replaceAll("*", "%") : op.value,
          );
          return ` ${quantOps[op.op]} ${op.quantifier ? `${op.quantifier.toUpperCase()}(${v})` : v}`;
        }
        case "is":
          return ` IS ${isSql[op.value]}`;
        case "isdistinct":
          return ` IS DISTINCT FROM ${this.param(op.value)}`;
        case "in":
          return op.values.length === 1 && op.values[0] === ""
            ? " = ANY('{}') "
            : ` = ANY (${this.param(arrayLiteral(op.values))}) `;
        case "fts":
          return ` ${ftsOps[op.op]}(${op.language === undefined ? "" : `${this.param(op.language)}, `}${
            this.param(op.value)
          }) `;
      }
    };
    const field = this.field(table, t.field);
    return `${t.negated ? "NOT" : ""} ${field}${value()}`;
  }

  logic(table: TableRef, t: LogicTree, embedCount?: (aggAlias: string) => string | undefined): string {
    switch (t.kind) {
      case "filter":
        return this.filter(table, t);
      case "embed-null":
        if (embedCount) {
          const sub = embedCount(t.aggAlias);
          return sub === undefined ? "" : `${t.negated ? "" : "NOT "}EXISTS (${sub})`;
        }
        return `${ident(t.aggAlias)} IS ${t.negated ? "" : "NOT "}DISTINCT FROM NULL`;
      case "expr":
        return `${t.negated ? "NOT" : ""} (${
          t.children.map((c) => this.logic(table, c, embedCount)).join(t.op === "and" ? " AND " : " OR ")
        })`;
    }
  }

  private order(table: TableRef, terms: OrderTerm[]): string {
    if (terms.length === 0) return "";
    return "ORDER BY " + terms.map((t) => {
      const target = t.kind === "field"
        ? this.field(table, t.field)
        : `${ident(t.aggAlias)}.${ident(t.field.name)}${this.jsonPath(t.field.jsonPath)}`;
      const dir = t.direction === "asc" ? "ASC" : t.direction === "desc" ? "DESC" : "";
      const nulls = t.nulls === "first" ? "NULLS FIRST" : t.nulls === "last" ? "NULLS LAST" : "";
      return `${target} ${dir} ${nulls}`;
    }).join(", ");
  }

  private limitOffset(r: Range): string {
    if (isAllRows(r)) return "";
    const limit = rangeLimit(r);
    return `LIMIT ${limit === null ? "ALL" : this.param(String(limit))} OFFSET ${
      this.param(String(r.lower))
    }`;
  }

  private joinCondition(j: JoinCondition): string {
    return `${column(j.left[0], j.left[1])} = ${column(j.right[0], j.right[1])}`;
  }

  private fromClause(node: ReadPlan): string {
    const junction = node.relToParent?.cardinality.kind === "m2m"
      ? `, ${fromQi(node.relToParent.cardinality.junction.table)}`
      : "";
    return ` FROM ${fromQi(node.from)}${node.fromAlias ? ` AS ${ident(node.fromAlias)}` : ""}${junction}`;
  }

  private tableOf(node: ReadPlan): TableRef {
    return node.fromAlias ? { schema: "", name: node.fromAlias } : node.from;
  }

  /** PostgREST's readPlanToQuery: one SELECT per node, embeds as lateral joins aggregated to JSON. */
  read(node: ReadPlan): string {
    const table = this.tableOf(node);
    const fields = node.select.length === 0 && node.children.length === 0
      ? [column(table, "*")]
      : node.select.map((s) => this.selectItem(table, s));
    const embedSelects = node.children.flatMap((c) => this.embedSelect(c));
    const joins = node.children.map((c) => this.join(c));
    const conditions = [
      ...node.where.map((w) => this.logic(table, w)),
      ...node.relJoinConds.map((j) => this.joinCondition(j)),
    ];
    return `SELECT ${[...fields, ...embedSelects].join(", ")}${this.fromClause(node)}${
      joins.length ? ` ${joins.join(" ")}` : ""
    }${conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""} ${this.order(table, node.order)} ${
      this.limitOffset(node.range)
    }`;
  }

  private embedSelect(child: ReadPlan): string[] {
    const agg = ident(child.relAggAlias);
    if (child.relSpread) {
      return spreadColumns(child).map((n) => (n === "*" ? `${agg}.*` : `${agg}.${ident(n)}`));
    }
    if (isEmptyEmbed(child)) return [];
    const name = ident(child.relAlias ?? child.relName);
    return isToOne(child.relToParent!)
      ? [`row_to_json(${agg}.*)::jsonb AS ${name}`]
      : [`COALESCE( ${agg}.${agg}, '[]') AS ${name}`];
  }

  private join(child: ReadPlan): string {
    const agg = ident(child.relAggAlias);
    const kind = child.relJoinType === "inner" ? "INNER" : "LEFT";
    const sub = this.read(child);
    if (child.relSpread || isToOne(child.relToParent!)) {
      return ` ${kind} JOIN LATERAL ( ${sub} ) AS ${agg} ON TRUE`;
    }
    const on = child.relJoinType === "inner" ? `${agg} IS NOT NULL` : "TRUE";
    return ` ${kind} JOIN LATERAL ( SELECT json_agg(${agg})::jsonb AS ${agg} FROM (${sub} ) AS ${agg} ) AS ${agg} ON ${on}`;
  }

  /** PostgREST's readPlanToCountQuery: the root's rows without ranges; inner embeds become EXISTS. */
  count(node: ReadPlan): string {
    const table = this.tableOf(node);
    const byAlias = (alias: string) => {
      const child = node.children.find((c) => c.relAggAlias === alias);
      return child ? this.count(child) : undefined;
    };
    const conditions = [
      ...node.where.map((w) => this.logic(table, w, byAlias)),
      ...node.relJoinConds.map((j) => this.joinCondition(j)),
      ...node.children.filter((c) => c.relJoinType === "inner").map((c) => `EXISTS (${this.count(c)} )`),
    ];
    return `SELECT 1 ${this.fromClause(node)}${
      conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""
    }`;
  }

  /** The JSON body PostgREST reads mutations and named arguments from (fromJsonBodyF). */
  private jsonBody(
    raw: string,
    fields: { name: string; irType: string; default?: string | null }[],
    opts: { select: boolean; limitOne: boolean; defaults: boolean },
  ): string {
    const isObject = raw.trimStart().startsWith("{");
    const json = this.param(raw);
    const select = opts.select
      ? `SELECT ${fields.map((f) => `"pgrst_body".${ident(f.name)}`).join(", ")} `
      : "";
    const defaultsObject = () =>
      `jsonb_build_object(${
        fields.filter((f) => f.default).map((f) => `${this.param(f.name)}::text, ${f.default}`).join(",")
      })`;
    const defaults = !opts.defaults
      ? ""
      : isObject
      ? `LATERAL (SELECT ${defaultsObject()} || pgrst_payload.json_data AS val) pgrst_json_defs, `
      : `LATERAL (SELECT jsonb_agg(${defaultsObject()} || elem) AS val from jsonb_array_elements(pgrst_payload.json_data) elem) pgrst_json_defs, `;
    const body = opts.defaults ? "pgrst_json_defs.val" : "pgrst_payload.json_data";
    const prefix = opts.defaults ? "jsonb" : "json";
    const source = fields.length === 0
      ? isObject ? "(values(1)) _ " : `${prefix}_array_elements(${body}) _ `
      : `${prefix}_to_record${isObject ? "" : "set"}(${body}) AS _(${
        fields.map((f) => `${ident(f.name)} ${f.irType}`).join(", ")
      }) ${opts.limitOne ? "LIMIT 1" : ""}`;
    return `${select}FROM (SELECT ${json}::${prefix} AS json_data) pgrst_payload, ${defaults}LATERAL (SELECT ${
      fields.map((f) => ident(f.name)).join(", ")
    } FROM ${source}) pgrst_body `;
  }

  private returning(table: TableRef, cols: string[]): string {
    return cols.length === 0 ? "RETURNING 1" : `RETURNING ${cols.map((c) => column(table, c)).join(", ")}`;
  }

  /** Counts inserted rows of an upsert in a GUC, so a merge that only updated answers 200. */
  private countInserted(add: boolean): string {
    const [sign, floor] = add ? ["+", "0"] : ["-", "-1"];
    return `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) ${sign} 1)::text, true) <> '${floor}'`;
  }

  mutation(m: MutatePlan): string {
    const where = (w: LogicTree[]) =>
      w.length ? ` WHERE ${w.map((t) => this.logic(m.table, t)).join(" AND ")}` : "";
    switch (m.kind) {
      case "insert": {
        const cols = m.columns.map((c) => ident(c.name)).join(", ");
        const merge = m.onConflict?.resolution === "merge-duplicates";
        const body = this.jsonBody(m.body, m.columns, {
          select: true,
          limitOne: false,
          defaults: m.applyDefaults,
        });
        let conflict = "";
        if (m.onConflict && m.onConflict.columns.length > 0) {
          const action = !merge || m.columns.length === 0
            ? "DO NOTHING"
            : `DO UPDATE SET ${
              m.columns.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`).join(", ")
            }WHERE ${this.countInserted(false)}`;
          conflict = ` ON CONFLICT(${m.onConflict.columns.map(ident).join(", ")}) ${action}`;
        }
        return `INSERT INTO ${fromQi(m.table)}${m.columns.length ? `(${cols}) ` : " "}${body}${
          merge ? `WHERE ${this.countInserted(true)}` : ""
        }${conflict} ${this.returning(m.table, m.returning)}`;
      }
      case "update": {
        if (m.columns.length === 0) {
          const own = { schema: "", name: m.table.name };
          const cols = m.returning.length ? m.returning.map((c) => column(own, c)).join(", ") : "NULL";
          return `SELECT ${cols} FROM ${fromQi(m.table)} WHERE false`;
        }
        const set = m.columns.map((c) => `${ident(c.name)} = "pgrst_body".${ident(c.name)}`).join(", ");
        const body = this.jsonBody(m.body, m.columns, {
          select: false,
          limitOne: false,
          defaults: m.applyDefaults,
        });
        return `UPDATE ${fromQi(m.table)} SET ${set} ${body}${where(m.where)} ${
          this.returning(m.table, m.returning)
        }`;
      }
      case "delete":
        return `DELETE FROM ${fromQi(m.table)} ${where(m.where)} ${this.returning(m.table, m.returning)}`;
    }
  }

  /** PostgREST's callPlanToQuery: the function call feeding `pgrst_source`. */
  call(c: CallPlan): string {
    const r = c.routine;
    const scalar = returnsScalar(r) || returnsSetOfScalar(r);
    const fn = fromQi(r);
    const callIt = (args: string) =>
      scalar ? `(SELECT ${fn}(${args}) pgrst_scalar) pgrst_call` : `${fn}(${args}) pgrst_call`;
    let from: string;
    if (c.params.kind === "positional") {
      const raw = c.args.kind === "json" ? c.args.raw : JSON.stringify(Object.fromEntries(c.args.values));
      from = `FROM ${callIt(`${this.param(raw)}::${c.params.param.type}`)}`;
    } else if (c.params.params.length === 0) {
      from = `FROM ${callIt("")}`;
    } else if (c.args.kind === "direct") {
      const values = c.args.values;
      from = `FROM ${
        callIt(
          c.params.params.map((p) => {
            const v = values.get(p.name);
            const value = v === undefined ? "NULL" : this.param(Array.isArray(v) ? arrayLiteral(v) : v);
            return `${p.variadic ? "VARIADIC " : ""}${ident(p.name)} := ${value}::${p.typeMaxLength}`;
          }).join(", "),
        )
      }`;
    } else {
      const fields = c.params.params.map((p) => ({ name: p.name, irType: p.typeMaxLength }));
      const args = c.params.params.map((p) =>
        `${p.variadic ? "VARIADIC " : ""}${ident(p.name)} := pgrst_body.${ident(p.name)}`
      );
      from = `${
        this.jsonBody(c.args.raw, fields, { select: false, limitOne: true, defaults: false })
      }, LATERAL ${callIt(args.join(", "))}`;
    }
    const callTable = { schema: "", name: "pgrst_call" };
    const columns = c.returning.length === 0
      ? "*"
      : c.returning[0] === "*"
      ? column(callTable, "*")
      : [...new Set([...c.returning, ...c.filterFields])].sort().map((col) => column(callTable, col)).join(
        ", ",
      );
    return `SELECT ${scalar ? "pgrst_call.pgrst_scalar" : columns} ${from}`;
  }
}

/** The columns a to-one spread `...rel(cols)` lifts into its parent, nested spreads included. */
function spreadColumns(node: ReadPlan): string[] {
  return [
    ...node.select.map((s) => s.alias ?? s.field.name),
    ...node.children.filter((c) => c.relSpread || !isEmptyEmbed(c)).flatMap((c) =>
      c.relSpread ? spreadColumns(c) : [c.relAlias ?? c.relName]
    ),
  ];
}

/** An embed that selects nothing (`rel()`), kept only to filter its parent. */
function isEmptyEmbed(node: ReadPlan): boolean {
  return node.select.length === 0 && node.children.every(isEmptyEmbed);
}

/** The body aggregate over `_postgrest_t` for a rendering, knowing whether a function returns scalars. */
export function bodyAggregate(handler: BodyHandler, routine?: Routine): string {
  const scalar = routine !== undefined && returnsScalar(routine);
  const setOfScalar = routine !== undefined && returnsSetOfScalar(routine);
  const single = routine !== undefined && returnsSingleComposite(routine);
  const rows = scalar || setOfScalar ? "_postgrest_t.pgrst_scalar" : "_postgrest_t";
  const strip = (s: string, on: boolean) => (on ? `json_strip_nulls(${s})` : s);
  switch (handler) {
    case "none":
      return "''::text";
    case "object":
    case "object-stripped":
      return `coalesce(${strip(`json_agg(${rows})->0`, handler === "object-stripped")}, 'null')`;
    case "json":
    case "array-stripped": {
      const stripped = handler === "array-stripped";
      if (scalar || single) return `coalesce(${strip(`json_agg(${rows})->0`, stripped)}, 'null')`;
      return `coalesce(${strip(`json_agg(${rows})`, stripped)}, '[]')`;
    }
    case "csv":
      return `(SELECT coalesce(string_agg(a.k, ','), '') FROM (SELECT json_object_keys(r)::text AS k FROM (` +
        `SELECT row_to_json(hh) AS r FROM ${SOURCE} AS hh LIMIT 1) s) a) || E'\\n' || ` +
        `coalesce(string_agg(substring(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), E'\\n'), '')`;
  }
}
