// Quoting for the two kinds of text that enter SQL: identifiers, and array literals passed as parameters.

/** A double-quoted identifier; NUL characters are dropped as PostgREST does. */
export const ident = (name: string) => `"${name.replaceAll("\u0000", "").replaceAll('"', '""')}"`;

/** A Postgres array literal of text values, e.g. {"a","b"}, for a parameter cast to an array type. */
export function arrayLiteral(values: string[]): string {
  const quote = (v: string) =>
    `"${v.replaceAll("\u0000", "").replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  return `{${values.map(quote).join(",")}}`;
}
