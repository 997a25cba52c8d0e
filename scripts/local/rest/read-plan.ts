// Builds the read plan tree of a request as PostgREST's planner does (src/PostgREST/Plan.hs `readPlan`): the
// select tree with one node per embed, filters/order/ranges put on the node their path names, relationships
// resolved from foreign keys (with `!hint` and `!inner`), and every node capped at max_rows.
import { notEmbedded, RestError } from "./errors.ts";
import { closest } from "./fuzzy.ts";
import type { JoinCondition, LogicTree, OrderTerm, ReadPlan, TypedField } from "./plan-types.ts";
import type { Field, Filter, LogicTree as RawLogicTree, Operation, SelectItem } from "./query-params.ts";
import { ALL_ROWS, hasLimitZero, LIMIT_ZERO, type Range, restrictRange } from "./range.ts";
import type { ApiRequest } from "./request.ts";
import { SOURCE } from "./sql.ts";
import { isToOne, qiKey, type QualifiedName, type Relationship, type SchemaCache } from "./schema-cache.ts";

/** Resolves a field against the table a plan node reads, knowing its type when the column exists. */
export function typedField(
  cache: SchemaCache,
  table: QualifiedName,
  f: Field,
  operation?: Operation,
): TypedField {
  const col = cache.tables.get(qiKey(table))?.columns.get(f.name);
  const irType = col?.nominalType ?? "";
  const isJson = irType === "json" || irType === "jsonb";
  const isTsVector = col?.baseType === "tsvector";
  return {
    name: f.name,
    jsonPath: f.jsonPath,
    toJson: !isJson,
    irType,
    default: col?.default ?? null,
    toTsVector: col && !isTsVector && operation?.kind === "fts"
      ? { language: operation.language }
      : undefined,
  };
}

function initialTree(
  cache: SchemaCache,
  schema: string,
  table: QualifiedName,
  items: SelectItem[],
): ReadPlan {
  const node = (from: QualifiedName, depth: number, extra: Partial<ReadPlan>): ReadPlan => ({
    select: [],
    from,
    where: [],
    order: [],
    range: ALL_ROWS,
    relName: from.name,
    relSpread: false,
    relJoinConds: [],
    relAggAlias: "",
    depth,
    children: [],
    ...extra,
  });
  const fill = (plan: ReadPlan, items: SelectItem[]): ReadPlan => {
    for (const item of items) {
      if (item.kind === "field") {
        if (item.aggregate) throw new RestError(400, "PGRST123", "Use of aggregate functions is not allowed");
        plan.select.push({
          field: typedField(cache, plan.from, item.field),
          cast: item.cast,
          alias: item.alias,
        });
      } else {
        const child = node({ schema, name: item.name }, plan.depth + 1, {
          relAlias: item.alias,
          relHint: item.hint,
          relJoinType: item.joinType,
          relSpread: item.spread,
        });
        plan.children.push(fill(child, item.children));
      }
    }
    return plan;
  };
  return fill(node(table, 0, {}), items);
}

/** The node a `rel.subrel.` path names, found by embed name or alias. */
function nodeAt(root: ReadPlan, path: string[]): ReadPlan {
  let node = root;
  for (const name of path) {
    const next = node.children.find((c) => c.relName === name || c.relAlias === name);
    if (!next) throw notEmbedded(name);
    node = next;
  }
  return node;
}

export function resolveLogic(cache: SchemaCache, table: QualifiedName, t: RawLogicTree): LogicTree {
  if (t.kind === "filter") return resolveFilter(cache, table, t.filter);
  return {
    kind: "expr",
    negated: t.negated,
    op: t.op,
    children: t.children.map((c) => resolveLogic(cache, table, c)),
  };
}

export function resolveFilter(cache: SchemaCache, table: QualifiedName, f: Filter): LogicTree {
  return {
    kind: "filter",
    field: typedField(cache, table, f.field, f.operation),
    negated: f.negated,
    operation: f.operation,
  };
}

function relationshipHint(schema: string, parent: string, child: string, cache: SchemaCache): string | null {
  const parentRels = cache.relationships.get(qiKey({ schema, name: parent }));
  if (parentRels) {
    const names = parentRels.map((r) => r.foreignTable.name);
    const best = closest(names, child);
    return best && best.score < 1 ? `Perhaps you meant '${best.value}' instead of '${child}'.` : null;
  }
  const parents = [...cache.relationships.values()].flat().filter((r) => r.table.schema === schema).map((r) =>
    r.table.name
  );
  const best = closest([...new Set(parents)], parent);
  return best ? `Perhaps you meant '${best.value}' instead of '${parent}'.` : null;
}

const singleColumn = (r: Relationship, side: 0 | 1): string | undefined => {
  const c = r.cardinality;
  return c.kind !== "m2m" && c.columns.length === 1 ? c.columns[0][side] : undefined;
};
const constraintOf = (r: Relationship) => r.cardinality.kind === "m2m" ? undefined : r.cardinality.constraint;

function describe(r: Relationship) {
  const cols = (xs: string[]) => `(${xs.join(", ")})`;
  const c = r.cardinality;
  const embedding = `${r.table.name} with ${r.foreignTable.name}`;
  if (c.kind === "m2m") {
    const j = c.junction;
    return {
      cardinality: "many-to-many",
      embedding,
      relationship: `${j.table.name} using ${j.constraint1}${
        cols(j.colsSource.map(([, b]) => b))
      } and ${j.constraint2}${cols(j.colsTarget.map(([, b]) => b))}`,
    };
  }
  const names = { m2o: "many-to-one", o2m: "one-to-many", o2o: "one-to-one" };
  return {
    cardinality: names[c.kind],
    embedding,
    relationship: `${c.constraint} using ${r.table.name}${
      cols(c.columns.map(([a]) => a))
    } and ${r.foreignTable.name}${cols(c.columns.map(([, b]) => b))}`,
  };
}

/** PostgREST's `findRel`: which foreign key an embed `target!hint` follows from `origin`. */
function findRelationship(
  cache: SchemaCache,
  schema: string,
  origin: string,
  target: string,
  hint: string | undefined,
): Relationship {
  const candidates = (cache.relationships.get(qiKey({ schema, name: origin })) ?? []).filter((r) =>
    r.foreignTable.schema === schema
  );
  const kind = (r: Relationship) => r.cardinality.kind;
  const matches = candidates.filter((r) => {
    const toTarget = target === r.foreignTable.name;
    if (r.isSelf) {
      if (hint === undefined) {
        return (toTarget && kind(r) === "o2m") || (singleColumn(r, 0) === target && kind(r) === "m2o");
      }
      return toTarget && kind(r) === "o2m" && singleColumn(r, 1) === hint;
    }
    if (hint === undefined) {
      return toTarget ||
        ((constraintOf(r) === target || singleColumn(r, 0) === target) && !r.foreignTableIsView);
    }
    const c = r.cardinality;
    return toTarget && (
      constraintOf(r) === hint || singleColumn(r, 0) === hint || singleColumn(r, 1) === hint ||
      (c.kind === "m2m" && c.junction.table.name === hint)
    );
  });
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new RestError(
      400,
      "PGRST200",
      `Could not find a relationship between '${origin}' and '${target}' in the schema cache`,
      `Searched for a foreign key relationship between '${origin}' and '${target}'${
        hint === undefined ? "" : ` using the hint '${hint}'`
      } in the schema '${schema}', but no matches were found.`,
      relationshipHint(schema, origin, target, cache),
    );
  }
  const hints = matches.map((r) => {
    const c = r.cardinality;
    return `'${r.foreignTable.name}!${c.kind === "m2m" ? c.junction.table.name : c.constraint}'`;
  });
  throw new RestError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${origin}' and '${target}'`,
    matches.map(describe),
    `Try changing '${target}' to one of the following: ${
      hints.join(", ")
    }. Find the desired relationship in the 'details' key.`,
  );
}

function joinConditions(
  r: Relationship,
  alias: string | undefined,
  parentAlias: string | undefined,
): JoinCondition[] {
  const ref = (aliasName: string | undefined, table: string): QualifiedName =>
    aliasName === undefined ? { schema: r.table.schema, name: table } : { schema: "", name: aliasName };
  // PostgREST's toJoinCondition: the embedded side's column equals the parent side's.
  const condition =
    (parent: string | undefined, own: string | undefined, table: string, foreign: string) =>
    ([col, fcol]: [string, string]): JoinCondition => ({
      left: [ref(own, foreign), fcol],
      right: [ref(parent, table), col],
    });
  const c = r.cardinality;
  if (c.kind === "m2m") {
    const jt = c.junction.table.name;
    return [
      ...c.junction.colsTarget.map(condition(undefined, undefined, r.foreignTable.name, jt)),
      ...c.junction.colsSource.map(condition(parentAlias, undefined, r.table.name, jt)),
    ];
  }
  return c.columns.map(condition(parentAlias, alias, r.table.name, r.foreignTable.name));
}

function addRelationships(cache: SchemaCache, schema: string, parent: ReadPlan) {
  for (const child of parent.children) {
    const origin = child.depth === 1 ? parent.fromAlias ?? parent.from.name : parent.from.name;
    const rel = findRelationship(cache, schema, origin, child.relName, child.relHint);
    if (child.relSpread && !isToOne(rel)) {
      throw new RestError(
        400,
        "PGRST127",
        "Feature not implemented",
        "Spreading a to-many embed is not supported by the local stack",
      );
    }
    const alias = `${rel.foreignTable.name}_${child.depth}`;
    child.from = rel.foreignTable;
    child.relToParent = rel;
    child.relAggAlias = `${rel.table.name}_${child.relAlias ?? child.relName}_${child.depth}`;
    // Many-to-many joins through the junction table in the same FROM, so the target keeps its plain name.
    if (rel.cardinality.kind === "m2m") child.relJoinConds = joinConditions(rel, undefined, parent.fromAlias);
    else {
      child.fromAlias = alias;
      child.relJoinConds = joinConditions(rel, alias, parent.fromAlias);
    }
    addRelationships(cache, schema, child);
  }
}

/** A field read through a JSON path is named after its last key, as PostgREST labels it. */
function addAliases(plan: ReadPlan) {
  for (const s of plan.select) {
    if (s.alias || s.field.jsonPath.length === 0) continue;
    const path = s.field.jsonPath;
    const last = path[path.length - 1];
    s.alias = last.isIndex ? [...path].reverse().find((p) => !p.isIndex)?.key ?? s.field.name : last.key;
  }
  plan.children.forEach(addAliases);
}

function addRelatedOrders(plan: ReadPlan) {
  plan.order = plan.order.map((term) => {
    if (term.kind !== "related") return term;
    const child = plan.children.find((c) => (c.relAlias ?? c.relName) === term.aggAlias);
    if (!child) throw notEmbedded(term.aggAlias);
    if (!child.relToParent || !isToOne(child.relToParent)) {
      throw new RestError(
        400,
        "PGRST118",
        `A related order on '${term.aggAlias}' is not possible`,
        `'${plan.from.name}' and '${term.aggAlias}' do not form a many-to-one or one-to-one relationship`,
      );
    }
    return { ...term, aggAlias: child.relAggAlias };
  });
  plan.children.forEach(addRelatedOrders);
}

function addEmbedNullFilters(plan: ReadPlan) {
  const rewrite = (t: LogicTree): LogicTree => {
    if (t.kind === "expr") return { ...t, children: t.children.map(rewrite) };
    if (t.kind !== "filter" || t.field.jsonPath.length > 0) return t;
    const child = plan.children.find((c) => (c.relAlias ?? c.relName) === t.field.name);
    if (child && t.operation.kind === "is" && t.operation.value === "null") {
      return { kind: "embed-null", negated: t.negated, aggAlias: child.relAggAlias };
    }
    return t;
  };
  plan.where = plan.where.map(rewrite);
  plan.children.forEach(addEmbedNullFilters);
}

function capRanges(plan: ReadPlan, maxRows: number) {
  plan.range = hasLimitZero(plan.range) ? LIMIT_ZERO : restrictRange(plan.range, maxRows);
  plan.children.forEach((c) => capRanges(c, maxRows));
}

export interface ReadPlanOptions {
  /** Mutations and calls read their rows from the `pgrst_source` CTE, aliased as the table. */
  fromSource: boolean;
  /** Mutations apply root filters to the statement itself and take no ranges. */
  isMutation: boolean;
  maxRows: number;
}

export function buildReadPlan(
  cache: SchemaCache,
  api: ApiRequest,
  table: QualifiedName,
  opts: ReadPlanOptions,
): ReadPlan {
  const { query } = api;
  const root = initialTree(cache, api.schema, table, query.select);
  for (const { path, filter } of query.filters) {
    if (opts.isMutation && path.length === 0) continue;
    const node = nodeAt(root, path);
    node.where.push(resolveFilter(cache, node.from, filter));
  }
  for (const { path, terms } of [...query.order].reverse()) {
    const node = nodeAt(root, path);
    node.order = terms.map((t): OrderTerm =>
      t.relation === undefined
        ? {
          kind: "field",
          field: typedField(cache, node.from, t.field),
          direction: t.direction,
          nulls: t.nulls,
        }
        : { kind: "related", aggAlias: t.relation, field: t.field, direction: t.direction, nulls: t.nulls }
    );
  }
  if (!opts.isMutation) {
    for (const [key, range] of api.ranges) nodeAt(root, key.split(".").slice(0, -1)).range = range as Range;
  }
  // Logic trees go before plain filters, in the order given.
  for (const { path, tree } of [...query.logic].reverse()) {
    if (opts.isMutation && path.length === 0) continue;
    const node = nodeAt(root, path);
    node.where.unshift(resolveLogic(cache, node.from, tree));
  }
  if (opts.fromSource) {
    root.fromAlias = root.from.name;
    root.from = { schema: "", name: SOURCE };
  }
  addRelationships(cache, api.schema, root);
  addAliases(root);
  addRelatedOrders(root);
  addEmbedNullFilters(root);
  if (!opts.isMutation) capRanges(root, opts.maxRows);
  return root;
}

/** Columns a mutation or call must return so the requested select and its embeds can be built from them. */
export function columnsNeeded(plan: ReadPlan, pkCols: string[]): string[] {
  const names = plan.select.map((s) => s.field.name);
  if (names.includes("*")) return ["*"];
  const fkCols = plan.children.flatMap((c) => {
    const card = c.relToParent?.cardinality;
    if (!card) return [];
    return card.kind === "m2m"
      ? card.junction.colsSource.map(([col]) => col)
      : card.columns.map(([col]) => col);
  });
  return [...new Set([...names, ...fkCols, ...pkCols])].sort();
}
