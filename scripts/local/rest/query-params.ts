// The query string grammar of PostgREST (src/PostgREST/ApiRequest/QueryParams.hs): select trees with aliases,
// casts and embeds; filters `col=op.value` with `not.`; `or`/`and` trees; `order`; `limit`/`offset` per embed;
// `columns` and `on_conflict`. Parse failures become PGRST100 with Parsec-style position and expectation text.
import { queryParamError } from "./errors.ts";
import { type Range, rangeFromLimit, rangeFromOffset, rangeWithLimitAndOffset } from "./range.ts";

export interface JsonStep {
  arrow: "->" | "->>";
  key: string;
  isIndex: boolean;
}

export interface Field {
  name: string;
  jsonPath: JsonStep[];
}

export type SelectItem =
  | { kind: "field"; field: Field; cast?: string; alias?: string; aggregate?: string }
  | {
    kind: "relation";
    name: string;
    alias?: string;
    hint?: string;
    joinType?: "inner" | "left";
    spread: boolean;
    children: SelectItem[];
  };

export type QuantOperator = "eq" | "gte" | "gt" | "lte" | "lt" | "like" | "ilike" | "match" | "imatch";
export type SimpleOperator = "neq" | "cs" | "cd" | "ov" | "sl" | "sr" | "nxr" | "nxl" | "adj";
export type IsValue = "null" | "not_null" | "true" | "false" | "unknown";

export type Operation =
  | { kind: "quant"; op: QuantOperator; quantifier?: "any" | "all"; value: string }
  | { kind: "simple"; op: SimpleOperator; value: string }
  | { kind: "in"; values: string[] }
  | { kind: "is"; value: IsValue }
  | { kind: "isdistinct"; value: string }
  | { kind: "fts"; op: "fts" | "plfts" | "phfts" | "wfts"; language?: string; value: string };

export interface Filter {
  field: Field;
  negated: boolean;
  operation: Operation;
}

export type LogicTree =
  | { kind: "filter"; filter: Filter }
  | { kind: "expr"; negated: boolean; op: "and" | "or"; children: LogicTree[] };

export interface OrderTerm {
  /** Set for `order=rel(col)`: ordering by a column of a to-one embed. */
  relation?: string;
  field: Field;
  direction?: "asc" | "desc";
  nulls?: "first" | "last";
}

export interface QueryParams {
  select: SelectItem[];
  filters: { path: string[]; filter: Filter }[];
  /** On a GET/HEAD rpc call: the parameters without an operator are the function's arguments. */
  rpcArgs: [string, string][];
  logic: { path: string[]; tree: LogicTree }[];
  order: { path: string[]; terms: OrderTerm[] }[];
  /** Keyed by "limit" for the top level, "rel.limit" for embeds. */
  ranges: Map<string, Range>;
  columns?: string[];
  onConflict?: string[];
  /** The parameters sorted by name, as PostgREST echoes them in Content-Location. */
  canonical: string;
}

class ParseFailure extends Error {
  constructor(readonly pos: number, readonly expected: string[], readonly unexpected?: string) {
    super("parse failure");
  }
}

/** A cursor over one parameter value with the handful of combinators the grammar needs. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get rest() {
    return this.text.slice(this.pos);
  }
  atEnd() {
    return this.pos >= this.text.length;
  }
  peek(s: string) {
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }
  expect(s: string, label = JSON.stringify(s)) {
    if (!this.eat(s)) this.fail([label]);
  }
  spaces() {
    while (this.peek(" ") || this.peek("\t")) this.pos++;
  }
  fail(expected: string[], unexpected?: string): never {
    throw new ParseFailure(this.pos, expected, unexpected);
  }
  /** Runs p; on failure restores the position and returns undefined (Parsec's `try` + `optionMaybe`). */
  attempt<T>(p: () => T): T | undefined {
    const start = this.pos;
    try {
      return p();
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      this.pos = start;
      return undefined;
    }
  }
}

const identifierChar = /[\p{L}\p{N}_ $]/u;

function identifier(c: Cursor): string {
  const start = c.pos;
  while (!c.atEnd() && identifierChar.test(c.text[c.pos])) c.pos++;
  if (c.pos === start) c.fail(["field name (* or [a..z0..9_$])"]);
  return c.text.slice(start, c.pos).trim();
}

/** Parsec's `sepBy1 p dash`, where a dash never starts an arrow `->`. */
function sepByDash(c: Cursor, part: (c: Cursor) => string): string {
  const parts = [part(c)];
  while (c.peek("-") && !c.peek("->")) {
    const save = c.pos;
    c.pos++;
    const next = c.attempt(() => part(c));
    if (next === undefined) {
      c.pos = save;
      break;
    }
    parts.push(next);
  }
  return parts.join("-");
}

function quoted(c: Cursor): string {
  c.expect('"');
  let out = "";
  while (!c.atEnd() && !c.peek('"')) {
    if (c.peek("\\")) c.pos++;
    if (c.atEnd()) break;
    out += c.text[c.pos++];
  }
  c.expect('"');
  return out;
}

function fieldName(c: Cursor): string {
  if (c.peek('"')) return quoted(c);
  return sepByDash(c, identifier);
}

function jsonKey(c: Cursor): string {
  if (c.peek('"')) return quoted(c);
  return sepByDash(c, (c) => {
    const start = c.pos;
    while (!c.atEnd() && !"(-:.,>)".includes(c.text[c.pos])) c.pos++;
    if (c.pos === start) c.fail(["any non reserved character different from: .,>()"]);
    return c.text.slice(start, c.pos).trim();
  });
}

function jsonPath(c: Cursor): JsonStep[] {
  const steps: JsonStep[] = [];
  for (;;) {
    const arrow = c.eat("->>") ? "->>" : c.eat("->") ? "->" : undefined;
    if (!arrow) return steps;
    const index = c.attempt(() => {
      const m = c.rest.match(/^-?\d+/);
      if (!m) c.fail(["digit"]);
      c.pos += m[0].length;
      if (!(c.atEnd() || ["->", "::", ".", ","].some((s) => c.peek(s)))) c.fail(["end of json index"]);
      return m[0];
    });
    if (index !== undefined) steps.push({ arrow, key: index, isIndex: true });
    else steps.push({ arrow, key: jsonKey(c), isIndex: false });
  }
}

function field(c: Cursor): Field {
  c.spaces();
  const name = fieldName(c);
  const path = jsonPath(c);
  c.spaces();
  return { name, jsonPath: path };
}

function castSuffix(c: Cursor): string | undefined {
  if (!c.eat("::")) return undefined;
  return identifier(c);
}

function selectItemEnd(c: Cursor) {
  if (!(c.atEnd() || c.peek(")") || c.peek(","))) c.fail(['"::"', '","', '")"', "end of input"]);
}

function aliasPrefix(c: Cursor): string | undefined {
  return c.attempt(() => {
    const alias = fieldName(c);
    if (!c.peek(":") || c.peek("::")) c.fail(['":"']);
    c.pos++;
    return alias;
  });
}

function embedParams(c: Cursor): { hint?: string; joinType?: "inner" | "left" } {
  const out: { hint?: string; joinType?: "inner" | "left" } = {};
  for (let i = 0; i < 2 && c.eat("!"); i++) {
    if (c.eat("inner")) out.joinType ??= "inner";
    else if (c.eat("left")) out.joinType ??= "left";
    else out.hint ??= fieldName(c);
  }
  return out;
}

function selectRelation(c: Cursor): SelectItem {
  c.spaces();
  const spread = c.eat("...");
  const alias = spread ? undefined : aliasPrefix(c);
  const name = fieldName(c);
  if (!spread && name === "count") c.fail(["relation"]);
  const params = embedParams(c);
  if (!c.peek("(")) c.fail(['"("']);
  c.pos++;
  const children = selectForest(c);
  c.expect(")");
  c.spaces();
  return { kind: "relation", name, alias, spread, ...params, children };
}

function selectField(c: Cursor): SelectItem {
  c.spaces();
  if (c.peek("*")) {
    const star = c.attempt(() => {
      c.pos++;
      c.spaces();
      selectItemEnd(c);
      return { kind: "field", field: { name: "*", jsonPath: [] } } as SelectItem;
    });
    if (star) return star;
  }
  const alias = aliasPrefix(c);
  if (c.eat("count()")) {
    const cast = castSuffix(c);
    c.spaces();
    selectItemEnd(c);
    return { kind: "field", field: { name: "*", jsonPath: [] }, aggregate: "count", cast, alias };
  }
  const f = field(c);
  const cast = castSuffix(c);
  const aggregate = c.attempt(() => {
    c.expect(".");
    const m = c.rest.match(/^(sum|avg|count|max|min)\(\)/);
    if (!m) c.fail(["aggregate"]);
    c.pos += m[0].length;
    return m[1];
  });
  if (aggregate) castSuffix(c);
  c.spaces();
  selectItemEnd(c);
  return { kind: "field", field: f, cast, alias, aggregate };
}

function selectForest(c: Cursor): SelectItem[] {
  const items: SelectItem[] = [];
  c.spaces();
  if (c.atEnd() || c.peek(")")) return items;
  for (;;) {
    items.push(c.attempt(() => selectRelation(c)) ?? selectField(c));
    c.spaces();
    if (!c.eat(",")) return items;
    c.spaces();
  }
}

const quantOperators: QuantOperator[] = ["eq", "gte", "gt", "lte", "lt", "like", "ilike", "match", "imatch"];
const simpleOperators: SimpleOperator[] = ["neq", "cs", "cd", "ov", "sl", "sr", "nxr", "nxl", "adj"];
const isValues: IsValue[] = ["null", "not_null", "true", "false", "unknown"];

function listValue(c: Cursor): string[] {
  c.spaces();
  c.expect("(");
  c.spaces();
  const values: string[] = [];
  do {
    const q = c.peek('"')
      ? c.attempt(() => {
        const v = quoted(c);
        if (!(c.peek(",") || c.peek(")"))) c.fail(['","', '")"']);
        return v;
      })
      : undefined;
    if (q !== undefined) values.push(q);
    else {
      const m = c.rest.match(/^[^,)]*/)!;
      c.pos += m[0].length;
      values.push(m[0]);
    }
  } while (c.eat(","));
  c.spaces();
  c.expect(")");
  c.spaces();
  return values;
}

function operation(c: Cursor, value: (c: Cursor) => string): Operation {
  if (c.eat("in.")) return { kind: "in", values: listValue(c) };
  if (c.eat("is.")) {
    const v = isValues.find((x) => c.rest.slice(0, x.length).toLowerCase() === x);
    if (!v) c.fail(["isVal: (null, not_null, true, false, unknown)"]);
    c.pos += v.length;
    return { kind: "is", value: v };
  }
  if (c.eat("isdistinct.")) return { kind: "isdistinct", value: value(c) };
  const fts = c.rest.match(/^(fts|plfts|phfts|wfts)(?:\(([\p{L}\p{N}_ $]+)\))?\./u);
  if (fts) {
    c.pos += fts[0].length;
    return { kind: "fts", op: fts[1] as "fts", language: fts[2]?.trim(), value: value(c) };
  }
  for (const op of simpleOperators) {
    if (c.peek(`${op}.`)) {
      c.pos += op.length + 1;
      return { kind: "simple", op, value: value(c) };
    }
  }
  for (const op of quantOperators) {
    const m = c.rest.startsWith(op) && c.rest.slice(op.length).match(/^(?:\((any|all)\))?\./);
    if (m) {
      c.pos += op.length + m[0].length;
      return { kind: "quant", op, quantifier: m[1] as "any" | "all" | undefined, value: value(c) };
    }
  }
  const mismatch = [...(c.atEnd() ? "" : c.text.slice(c.pos))].findIndex((ch, i) => ch !== "not"[i]);
  const bad = c.text[c.pos + (mismatch < 0 ? 3 : mismatch)];
  return c.fail(['"not"', "operator (eq, gt, ...)"], bad === undefined ? undefined : JSON.stringify(bad));
}

const restOfValue = (c: Cursor) => {
  const v = c.rest;
  c.pos = c.text.length;
  return v;
};

function opExpr(c: Cursor, value: (c: Cursor) => string): { negated: boolean; operation: Operation } {
  const negated = c.attempt(() => {
    c.expect("not");
    c.expect(".", "delimiter (.)");
    return true;
  }) ?? false;
  return { negated, operation: operation(c, value) };
}

/** Values inside `or=(…)`: quoted, a `{…}` array literal, or anything up to `,` or `)`. */
function logicValue(c: Cursor): string {
  const q = c.peek('"')
    ? c.attempt(() => {
      const v = quoted(c);
      if (!(c.atEnd() || c.peek(",") || c.peek(")"))) c.fail(['","']);
      return v;
    })
    : undefined;
  if (q !== undefined) return q;
  const arr = c.rest.match(/^\{[^{}]*\}/);
  if (arr) {
    c.pos += arr[0].length;
    return arr[0];
  }
  const m = c.rest.match(/^[^,)]*/)!;
  c.pos += m[0].length;
  return m[0];
}

function logicTree(c: Cursor): LogicTree {
  const stmt = c.attempt(() => {
    const f = field(c);
    c.expect(".", "delimiter (.)");
    const { negated, operation: op } = opExpr(c, logicValue);
    return { kind: "filter", filter: { field: f, negated, operation: op } } as LogicTree;
  });
  if (stmt) return stmt;
  const negated = c.attempt(() => {
    c.expect("not");
    c.expect(".", "delimiter (.)");
    return true;
  }) ?? false;
  const op = c.eat("and") ? "and" : c.eat("or") ? "or" : c.fail(["logic operator (and, or)"]);
  c.spaces();
  c.expect("(");
  c.spaces();
  const children = [logicTree(c)];
  for (;;) {
    c.spaces();
    if (!c.eat(",")) break;
    c.spaces();
    children.push(logicTree(c));
  }
  c.spaces();
  c.expect(")");
  c.spaces();
  return { kind: "expr", negated, op, children };
}

function orderTerms(c: Cursor): OrderTerm[] {
  const terms: OrderTerm[] = [];
  do {
    c.spaces();
    const relation = c.attempt(() => {
      const name = fieldName(c);
      c.expect("(");
      const f = field(c);
      c.expect(")");
      return { relation: name, field: f };
    });
    const term: OrderTerm = relation ?? { field: field(c) };
    if (c.eat(".asc")) term.direction = "asc";
    else if (c.eat(".desc")) term.direction = "desc";
    if (c.eat(".nullsfirst")) term.nulls = "first";
    else if (c.eat(".nullslast")) term.nulls = "last";
    c.spaces();
    if (!(c.atEnd() || c.peek(","))) c.fail(['","', "end of input"]);
    terms.push(term);
  } while (c.eat(","));
  return terms;
}

function columnList(c: Cursor): string[] {
  const cols: string[] = [];
  do {
    c.spaces();
    cols.push(fieldName(c));
    c.spaces();
  } while (c.eat(","));
  return cols;
}

/** `a.b.c` → embed path ["a", "b"] and field c. */
function treePath(c: Cursor): { path: string[]; field: Field } {
  const names = [fieldName(c)];
  while (c.eat(".")) names.push(fieldName(c));
  const path = jsonPath(c);
  return { path: names.slice(0, -1), field: { name: names[names.length - 1], jsonPath: path } };
}

function run<T>(what: string, input: string, p: (c: Cursor) => T): T {
  const c = new Cursor(input);
  try {
    return p(c);
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    const unexpected = e.unexpected ??
      (e.pos >= input.length ? "end of input" : JSON.stringify(input[e.pos]));
    const expected = e.expected.length > 1
      ? `${e.expected.slice(0, -1).join(", ")} or ${e.expected[e.expected.length - 1]}`
      : e.expected[0];
    throw queryParamError(
      `"failed to parse ${what} (${input})" (line 1, column ${e.pos + 1})`,
      `unexpected ${unexpected} expecting ${expected}`,
    );
  }
}

const lastSegment = (key: string) => key.split(".").pop()!;

/** Parses the query string; `isRpcRead` keeps operator-less parameters as function arguments. */
export function parseQueryParams(search: URLSearchParams, isRpcRead: boolean): QueryParams {
  const entries = [...search.entries()];
  const embeddable = ["order", "limit", "offset", "and", "or"];
  const reserved = ["select", "columns", "on_conflict"];
  const get = (k: string) => entries.find(([key]) => key === k)?.[1];

  const order = entries.filter(([k]) => lastSegment(k) === "order").map(([k, v]) => ({
    path: run("tree path", k, treePath).path,
    terms: run("order", v, orderTerms),
  }));
  const logic = entries.filter(([k]) => ["and", "or"].includes(lastSegment(k))).map(([k, v]) => {
    const names = k.split(".");
    const op = names[names.length - 1];
    const negated = names.includes("not");
    const tree = run("logic tree", `${negated ? "not." : ""}${op}${v}`, logicTree);
    return { path: names.slice(0, -1).filter((n) => n !== "not"), tree };
  });
  // Like Parsec's `parse`, each parser stops where its grammar ends; anything after that is ignored.
  const select = run("select parameter", get("select") ?? "*", selectForest);
  const filters: QueryParams["filters"] = [];
  const rpcArgs: [string, string][] = [];
  for (const [k, v] of entries) {
    if (embeddable.includes(lastSegment(k)) || reserved.includes(k)) continue;
    const { path, field } = run("tree path", k, treePath);
    const cursor = new Cursor(v);
    const parsed = isRpcRead
      ? cursor.attempt(() => opExpr(cursor, restOfValue))
      : run("filter", v, (c) => opExpr(c, restOfValue));
    if (parsed) filters.push({ path, filter: { field, ...parsed } });
    else rpcArgs.push([k, v]);
  }
  const columns = get("columns");
  const onConflict = get("on_conflict");
  return {
    select,
    filters,
    rpcArgs,
    logic,
    order,
    ranges: parseRanges(entries),
    columns: columns === undefined ? undefined : run("columns parameter", columns, columnList),
    onConflict: onConflict === undefined ? undefined : run("on_conflict parameter", onConflict, columnList),
    canonical: new URLSearchParams([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString(),
  };
}

function parseRanges(entries: [string, string][]): Map<string, Range> {
  const limits = new Map<string, string>();
  const offsets = new Map<string, string>();
  for (const [k, v] of entries) {
    const last = lastSegment(k);
    if (last === "limit") limits.set(k, v);
    if (last === "offset") offsets.set(`${k.slice(0, -"offset".length)}limit`, v);
  }
  const ranges = new Map<string, Range>();
  for (const key of new Set([...limits.keys(), ...offsets.keys()])) {
    const limit = limits.get(key);
    const offset = offsets.get(key);
    ranges.set(
      key,
      limit !== undefined && offset !== undefined
        ? rangeWithLimitAndOffset(limit, offset)
        : limit !== undefined
        ? rangeFromLimit(limit)
        : rangeFromOffset(offset!),
    );
  }
  return ranges;
}
