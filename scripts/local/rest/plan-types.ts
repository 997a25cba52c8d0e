// The intermediate plan between a parsed request and its SQL, shaped like PostgREST's ReadPlan / MutatePlan /
// CallPlan (src/PostgREST/Plan/*.hs) so the generated statements match PostgREST's.
import type { Field, JsonStep, Operation } from "./query-params.ts";
import type { Range } from "./range.ts";
import type { QualifiedName, Relationship, Routine, RoutineParam } from "./schema-cache.ts";

/** A column reference with what the schema cache knows of its type. */
export interface TypedField {
  name: string;
  jsonPath: JsonStep[];
  /** Arrow operators need `to_jsonb(col)` unless the column already is json/jsonb. */
  toJson: boolean;
  /** The nominal type to read JSON input into; "" when the column is unknown. */
  irType: string;
  default: string | null;
  /** Full-text filters on a non-tsvector column search `to_tsvector([language,] col)`. */
  toTsVector?: { language?: string };
}

export interface SelectField {
  field: TypedField;
  cast?: string;
  alias?: string;
}

export type LogicTree =
  | { kind: "filter"; field: TypedField; negated: boolean; operation: Operation }
  /** `rel=is.null` / `rel=not.is.null` on an embed: whether the embedded row exists. */
  | { kind: "embed-null"; negated: boolean; aggAlias: string }
  | { kind: "expr"; negated: boolean; op: "and" | "or"; children: LogicTree[] };

export type OrderTerm =
  | { kind: "field"; field: TypedField; direction?: "asc" | "desc"; nulls?: "first" | "last" }
  | { kind: "related"; aggAlias: string; field: Field; direction?: "asc" | "desc"; nulls?: "first" | "last" };

/** Table references as PostgREST prints them: schema-qualified, or an alias alone when schema is "". */
export type TableRef = QualifiedName;

export interface JoinCondition {
  left: [TableRef, string];
  right: [TableRef, string];
}

export interface ReadPlan {
  select: SelectField[];
  from: TableRef;
  fromAlias?: string;
  where: LogicTree[];
  order: OrderTerm[];
  range: Range;
  relName: string;
  relAlias?: string;
  relHint?: string;
  relJoinType?: "inner" | "left";
  relSpread: boolean;
  relToParent?: Relationship;
  relJoinConds: JoinCondition[];
  relAggAlias: string;
  depth: number;
  children: ReadPlan[];
}

export type MutatePlan =
  | {
    kind: "insert";
    table: QualifiedName;
    columns: TypedField[];
    body: string;
    onConflict?: { resolution: "merge-duplicates" | "ignore-duplicates"; columns: string[] };
    returning: string[];
    pkCols: string[];
    applyDefaults: boolean;
  }
  | {
    kind: "update";
    table: QualifiedName;
    columns: TypedField[];
    body: string;
    where: LogicTree[];
    returning: string[];
    applyDefaults: boolean;
  }
  | { kind: "delete"; table: QualifiedName; where: LogicTree[]; returning: string[] };

export type CallArgs =
  | { kind: "direct"; values: Map<string, string | string[]> }
  | { kind: "json"; raw: string };

export interface CallPlan {
  routine: Routine;
  /** Named arguments passed as `name := value`, or the one unnamed json/text parameter. */
  params: { kind: "named"; params: RoutineParam[] } | { kind: "positional"; param: RoutineParam };
  args: CallArgs;
  filterFields: string[];
  returning: string[];
}
