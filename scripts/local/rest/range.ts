// Row ranges as PostgREST keeps them (src/PostgREST/RangeQuery.hs): inclusive [lower, upper] with an open upper
// end for "all rows"; `limit=0` is the special range [0, -1] that is empty yet allowed.

export interface Range {
  lower: number;
  /** Inclusive; null when unbounded. */
  upper: number | null;
}

export const ALL_ROWS: Range = { lower: 0, upper: null };
export const LIMIT_ZERO: Range = { lower: 0, upper: -1 };
const EMPTY: Range = { lower: Number.POSITIVE_INFINITY, upper: Number.NEGATIVE_INFINITY };

export const isEmpty = (r: Range) => r.upper !== null && r.upper < r.lower;
export const hasLimitZero = (r: Range) => r.upper === -1;
export const isAllRows = (r: Range) => r.lower === 0 && r.upper === null;
export const rangeLimit = (r: Range) => (r.upper === null ? null : 1 + r.upper - r.lower);

export function intersect(a: Range, b: Range): Range {
  if (isEmpty(a) || isEmpty(b)) return EMPTY;
  const upper = a.upper === null ? b.upper : b.upper === null ? a.upper : Math.min(a.upper, b.upper);
  return { lower: Math.max(a.lower, b.lower), upper };
}

const integer = (v: string) => (/^-?\d+$/.test(v.trim()) ? Number(v) : undefined);

/** `limit=n`: rows [0, n-1]; an unreadable number means no limit. */
export function rangeFromLimit(v: string): Range {
  const n = integer(v);
  return n === undefined ? ALL_ROWS : intersect(ALL_ROWS, { lower: Number.NEGATIVE_INFINITY, upper: n - 1 });
}

export function rangeFromOffset(v: string): Range {
  const n = integer(v);
  return n === undefined ? ALL_ROWS : { lower: n, upper: null };
}

export function rangeWithLimitAndOffset(limit: string, offset: string): Range {
  const l = rangeLimit(rangeFromLimit(limit)) ?? 0;
  const o = rangeFromOffset(offset).lower;
  return { lower: o, upper: o + l - 1 };
}

/** The `Range: 0-9` request header (honoured on GET only). */
export function rangeFromHeader(header: string | null): Range {
  const m = header?.match(/^(\d+)-(\d*)$/);
  if (!m) return ALL_ROWS;
  return intersect({ lower: Number(m[1]), upper: null }, {
    lower: Number.NEGATIVE_INFINITY,
    upper: m[2] === "" ? null : Number(m[2]),
  });
}

/** Caps a range at `maxRows` rows from its offset, leaving `limit=0` as it is. */
export function restrictRange(r: Range, maxRows: number | null): Range {
  if (hasLimitZero(r) || maxRows === null) return r;
  return intersect(r, { lower: Number.NEGATIVE_INFINITY, upper: r.lower + maxRows - 1 });
}

/** `Content-Range: 0-9/100`; the range is `*` when nothing was returned, the total `*` when not counted. */
export function contentRange(lower: number, upper: number, total: number | null): string {
  const range = total !== 0 && lower <= upper ? `${lower}-${upper}` : "*";
  return `${range}/${total ?? "*"}`;
}

/** 200, 206 for a partial page of a counted result, 416 for an offset past its end. */
export function rangeStatus(lower: number, upper: number, total: number | null): number {
  if (total === null) return 200;
  if (lower > total) return 416;
  if (1 + upper - lower < total) return 206;
  return 200;
}
