// JSON may carry, escaped, what Postgres text and jsonb cannot hold: U+0000, and a lone UTF-16 surrogate (half of
// an emoji, from text cut in the wrong place). Stored as they came, they fail the write: a provider's event would be
// redelivered forever, an agent's message refused with a 500. So U+0000 is dropped and a lone surrogate becomes
// U+FFFD, in names and values alike, when the body is parsed.

const storable = (text: string) => text.replaceAll("\0", "").toWellFormed();

function storableJson(_key: string, value: unknown): unknown {
  if (typeof value === "string") return storable(value);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (entries.every(([k]) => k === storable(k))) return value;
  return Object.fromEntries(entries.map(([k, v]) => [storable(k), v]));
}

/** `\u0000` or a surrogate's escape (Meta escapes every emoji so): only then is the reviver worth its cost. */
const UNSTORABLE_ESCAPE = /\\u(0000|d[89a-f])/i;

/** JSON.parse, with what Postgres cannot store made storable; throws a SyntaxError as JSON.parse does. */
export function parseStorableJson(text: string): unknown {
  return UNSTORABLE_ESCAPE.test(text) ? JSON.parse(text, storableJson) : JSON.parse(text);
}
