// PostgREST's schema cache: the tables, views, columns, keys, relationships and functions of the exposed schemas,
// read from the catalogs with an empty search_path so every type and default comes out schema-qualified.
import type { Sql } from "../db.ts";
import { arrayLiteral } from "./quote.ts";

export interface QualifiedName {
  schema: string;
  name: string;
}

export const qiKey = (q: QualifiedName) => `${q.schema}\u0000${q.name}`;

export interface Column {
  name: string;
  /** format_type with modifiers, e.g. "character varying(20)": the type PostgREST reads JSON bodies into. */
  nominalType: string;
  /** The type under any domain, e.g. "tsvector". */
  baseType: string;
  default: string | null;
}

export interface Table extends QualifiedName {
  isView: boolean;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  pkCols: string[];
  columns: Map<string, Column>;
}

export interface Junction {
  table: QualifiedName;
  constraint1: string;
  constraint2: string;
  colsSource: [string, string][];
  colsTarget: [string, string][];
}

export type Cardinality =
  | { kind: "m2o" | "o2m"; constraint: string; columns: [string, string][] }
  | { kind: "o2o"; constraint: string; columns: [string, string][]; isParent: boolean }
  | { kind: "m2m"; junction: Junction };

export interface Relationship {
  table: QualifiedName;
  foreignTable: QualifiedName;
  isSelf: boolean;
  cardinality: Cardinality;
  foreignTableIsView: boolean;
}

export const isToOne = (r: Relationship) => r.cardinality.kind === "m2o" || r.cardinality.kind === "o2o";

export interface RoutineParam {
  name: string;
  type: string;
  /** The type without length limits ("character varying" for "character"), used to read arguments. */
  typeMaxLength: string;
  required: boolean;
  variadic: boolean;
}

export interface Routine extends QualifiedName {
  params: RoutineParam[];
  returns: { schema: string; name: string; setOf: boolean; composite: boolean };
  volatility: "i" | "s" | "v";
  hasVariadic: boolean;
}

export const returnsScalar = (r: Routine) => !r.returns.setOf && !r.returns.composite;
export const returnsSetOfScalar = (r: Routine) => r.returns.setOf && !r.returns.composite;
export const returnsSingleComposite = (r: Routine) => !r.returns.setOf && r.returns.composite;
export const returnsVoid = (r: Routine) =>
  returnsScalar(r) && r.returns.schema === "pg_catalog" && r.returns.name === "void";
/** The table a function's rows belong to, so its result can embed that table's relationships. */
export const routineTableName = (r: Routine) => r.returns.composite ? r.returns.name : undefined;

export interface SchemaCache {
  tables: Map<string, Table>;
  /** Relationships by the key of the table they start from. */
  relationships: Map<string, Relationship[]>;
  routines: Map<string, Routine[]>;
  /** Per-role settings PostgREST applies after switching role (e.g. statement_timeout). */
  roleSettings: Map<string, [string, string][]>;
}

/** The names `Prefer: timezone=` accepts; they never change while the server runs. */
export async function loadTimezones(sql: Sql): Promise<Set<string>> {
  const rows = await sql`select name from pg_catalog.pg_timezone_names`;
  return new Set(rows.map((r) => r.name as string));
}

const tablesQuery = `
  select n.nspname as schema, c.relname as name, c.relkind in ('v', 'm') as is_view,
    c.relkind in ('r', 'p') or (c.relkind in ('v', 'f') and pg_relation_is_updatable(c.oid, true) & 8 = 8) as insertable,
    c.relkind in ('r', 'p') or (c.relkind in ('v', 'f') and pg_relation_is_updatable(c.oid, true) & 4 = 4) as updatable,
    c.relkind in ('r', 'p') or (c.relkind in ('v', 'f') and pg_relation_is_updatable(c.oid, true) & 16 = 16) as deletable,
    coalesce((
      select array_agg(a.attname::text order by a.attname)
      from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any (k.conkey)
      where k.conrelid = c.oid and k.contype = 'p'), '{}') as pk_cols,
    coalesce((
      select json_agg(json_build_object(
        'name', a.attname,
        'nominalType', format_type(a.atttypid, a.atttypmod),
        'baseType', format_type(coalesce(nullif(t.typbasetype, 0), t.oid), null),
        'default', case
          when a.attidentity = 'd' then format('nextval(%L)', pg_get_serial_sequence(c.oid::regclass::text, a.attname))
          when a.attgenerated = 's' then null
          when d.adbin is null and t.typbasetype <> 0 then pg_get_expr(t.typdefaultbin, 0)
          else pg_get_expr(d.adbin, d.adrelid) end
      ) order by a.attnum)
      from pg_attribute a
      join pg_type t on t.oid = a.atttypid
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition and n.nspname = any ($1::text[])
  order by 1, 2`;

const foreignKeysQuery = `
  select tn.nspname as schema, t.relname as name, fn.nspname as f_schema, f.relname as f_name,
    f.relkind in ('v', 'm') as f_is_view, k.conrelid = k.confrelid as is_self, k.conname as constraint,
    (select json_agg(json_build_array(a.attname, b.attname) order by u.ord)
       from unnest(k.conkey, k.confkey) with ordinality as u(col, ref, ord)
       join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.col
       join pg_attribute b on b.attrelid = k.confrelid and b.attnum = u.ref) as columns,
    exists (
      select 1 from pg_constraint uk
      where uk.conrelid = k.conrelid and uk.contype in ('p', 'u')
        and (select array_agg(x order by x) from unnest(uk.conkey) x) = (select array_agg(x order by x) from unnest(k.conkey) x)
    ) as one_to_one
  from pg_constraint k
  join pg_class t on t.oid = k.conrelid join pg_namespace tn on tn.oid = t.relnamespace
  join pg_class f on f.oid = k.confrelid join pg_namespace fn on fn.oid = f.relnamespace
  where k.contype = 'f' and k.conparentid = 0
  order by k.conrelid, k.conname`;

const routinesQuery = `
  with args as (
    select p.oid,
      coalesce(json_agg(json_build_object(
        'name', coalesce(a.name, ''),
        'type', a.type::regtype::text,
        'typeMaxLength', case a.type
          when 'bit'::regtype then 'bit varying' when 'bit[]'::regtype then 'bit varying[]'
          when 'character'::regtype then 'character varying' when 'character[]'::regtype then 'character varying[]'
          else a.type::regtype::text end,
        'required', a.pos <= p.pronargs - p.pronargdefaults,
        'variadic', coalesce(a.mode = 'v', false)
      ) order by a.pos) filter (where a.pos is not null), '[]') as params,
      case count(a.pos) - count(nullif(a.name, ''))
        when 0 then true
        when 1 then (array_agg(a.type order by a.pos))[1] in ('bytea'::regtype, 'json'::regtype, 'jsonb'::regtype,
                                                              'text'::regtype, 'xml'::regtype)
        else false end as callable
    from pg_proc p
    join pg_namespace pn on pn.oid = p.pronamespace and pn.nspname = any ($1::text[])
    left join lateral (
      select row_number() over (order by u.ord) as pos, u.type, u.name, u.mode
      from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes)
        with ordinality as u(type, name, mode, ord)
      where coalesce(u.mode, 'i') in ('i', 'b', 'v')
    ) a on true
    group by p.oid
  )
  select n.nspname as schema, p.proname as name, args.params,
    rn.nspname as ret_schema, coalesce(rc.relname, rt.typname) as ret_name, p.proretset as ret_setof,
    rt.typtype = 'c' or coalesce(p.proargmodes::text[] && '{t,b,o}', false) as ret_composite,
    p.provolatile as volatility, p.provariadic <> 0 as has_variadic
  from pg_proc p
  join args on args.oid = p.oid
  join pg_namespace n on n.oid = p.pronamespace
  join pg_type dt on dt.oid = p.prorettype
  join pg_type rt on rt.oid = coalesce(nullif(dt.typbasetype, 0), dt.oid)
  join pg_namespace rn on rn.oid = rt.typnamespace
  left join pg_class rc on rc.oid = rt.typrelid
  where p.prokind = 'f' and rt.oid <> 'trigger'::regtype and args.callable`;

const roleSettingsQuery = `
  select r.rolname as role, split_part(s, '=', 1) as key, lower(substr(s, strpos(s, '=') + 1)) as value
  from pg_roles r, unnest(r.rolconfig) s
  join pg_settings ps on ps.name = split_part(s, '=', 1) and ps.context = 'user'`;

type Row = Record<string, unknown>;

function tableFrom(row: Row): Table {
  const columns = new Map<string, Column>();
  for (const c of row.columns as Column[]) columns.set(c.name, c);
  return {
    schema: row.schema as string,
    name: row.name as string,
    isView: row.is_view as boolean,
    insertable: row.insertable as boolean,
    updatable: row.updatable as boolean,
    deletable: row.deletable as boolean,
    pkCols: row.pk_cols as string[],
    columns,
  };
}

/** Many-to-one (or one-to-one) relationships straight from the foreign keys. */
function foreignKeyRelationships(rows: Row[]): Relationship[] {
  return rows.map((r) => {
    const constraint = r.constraint as string;
    const columns = r.columns as [string, string][];
    return {
      table: { schema: r.schema as string, name: r.name as string },
      foreignTable: { schema: r.f_schema as string, name: r.f_name as string },
      isSelf: r.is_self as boolean,
      cardinality: r.one_to_one
        ? { kind: "o2o", constraint, columns, isParent: false }
        : { kind: "m2o", constraint, columns },
      foreignTableIsView: r.f_is_view as boolean,
    };
  });
}

const swap = (cols: [string, string][]) => cols.map(([a, b]) => [b, a] as [string, string]);

function inverse(r: Relationship, tables: Map<string, Table>): Relationship | undefined {
  const c = r.cardinality;
  const base = {
    table: r.foreignTable,
    foreignTable: r.table,
    isSelf: r.isSelf,
    foreignTableIsView: tables.get(qiKey(r.table))?.isView ?? false,
  };
  if (c.kind === "m2o") {
    return { ...base, cardinality: { kind: "o2m", constraint: c.constraint, columns: swap(c.columns) } };
  }
  if (c.kind === "o2o") {
    return {
      ...base,
      cardinality: { kind: "o2o", constraint: c.constraint, columns: swap(c.columns), isParent: true },
    };
  }
  return undefined;
}

/** A table whose primary key covers two foreign keys joins their targets many-to-many. */
function manyToMany(rels: Relationship[], tables: Map<string, Table>): Relationship[] {
  const out: Relationship[] = [];
  for (const a of rels) {
    if (a.cardinality.kind !== "m2o") continue;
    for (const b of rels) {
      if (b.cardinality.kind !== "m2o" || qiKey(b.table) !== qiKey(a.table)) continue;
      if (a.cardinality.constraint === b.cardinality.constraint) continue;
      const pk = new Set(tables.get(qiKey(a.table))?.pkCols ?? []);
      const used = [...a.cardinality.columns, ...b.cardinality.columns].map(([col]) => col);
      if (pk.size === 0 || !used.every((col) => pk.has(col))) continue;
      out.push({
        table: a.foreignTable,
        foreignTable: b.foreignTable,
        isSelf: qiKey(a.foreignTable) === qiKey(b.foreignTable),
        cardinality: {
          kind: "m2m",
          junction: {
            table: a.table,
            constraint1: a.cardinality.constraint,
            constraint2: b.cardinality.constraint,
            colsSource: swap(a.cardinality.columns),
            colsTarget: swap(b.cardinality.columns),
          },
        },
        foreignTableIsView: b.foreignTableIsView,
      });
    }
  }
  return out;
}

function routineFrom(row: Row): Routine {
  return {
    schema: row.schema as string,
    name: row.name as string,
    params: row.params as RoutineParam[],
    returns: {
      schema: row.ret_schema as string,
      name: row.ret_name as string,
      setOf: row.ret_setof as boolean,
      composite: row.ret_composite as boolean,
    },
    volatility: row.volatility as Routine["volatility"],
    hasVariadic: row.has_variadic as boolean,
  };
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

export async function loadSchemaCache(sql: Sql, schemas: string[]): Promise<SchemaCache> {
  const exposed = arrayLiteral(schemas);
  const [tableRows, fkRows, routineRows, roleRows] = await sql.begin("read only", async (tx) => {
    await tx.unsafe("set local search_path = ''");
    return [
      await tx.unsafe(tablesQuery, [exposed]),
      await tx.unsafe(foreignKeysQuery),
      await tx.unsafe(routinesQuery, [exposed]),
      await tx.unsafe(roleSettingsQuery),
    ];
  }) as Row[][];
  const tables = new Map(tableRows.map((r) => {
    const table = tableFrom(r);
    return [qiKey(table), table];
  }));
  const direct = foreignKeyRelationships(fkRows);
  const all = [
    ...direct,
    ...direct.map((r) => inverse(r, tables)).filter((r): r is Relationship => r !== undefined),
    ...manyToMany(direct, tables),
  ].filter((r) =>
    schemas.includes(r.table.schema) && schemas.includes(r.foreignTable.schema) &&
    (r.cardinality.kind !== "m2m" || schemas.includes(r.cardinality.junction.table.schema))
  );
  const routines = group(routineRows.map(routineFrom), qiKey);
  // Overloads are tried fewest parameters first, as PostgREST orders them.
  for (const list of routines.values()) list.sort((a, b) => a.params.length - b.params.length);
  const roleSettings = new Map<string, [string, string][]>();
  for (const r of roleRows) {
    const role = r.role as string;
    roleSettings.set(role, [...(roleSettings.get(role) ?? []), [r.key as string, r.value as string]]);
  }
  return {
    tables,
    relationships: group(all, (r) => qiKey(r.table)),
    routines,
    roleSettings,
  };
}
