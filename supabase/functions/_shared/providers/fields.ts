// Readers for untrusted provider JSON. Each returns undefined instead of throwing: a payload we cannot read
// is ignored with a reason, never a crash (a crash is a 5xx, and providers redeliver those for days).

export type Json = Record<string, unknown>;

export const record = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? v as Json : undefined;

export const records = (v: unknown): Json[] =>
  Array.isArray(v) ? v.map(record).filter((item): item is Json => item !== undefined) : [];

export const str = (v: unknown): string | undefined => typeof v === "string" ? v : undefined;

export const nonEmpty = (v: unknown): string | undefined => typeof v === "string" && v !== "" ? v : undefined;

/** A whole number written as a number, a digit string, or a protobuf Long `{low, high}`. */
export function int(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string") return /^\d+$/.test(v) ? Number(v) : undefined;
  const long = record(v);
  if (typeof long?.low === "number" && typeof long.high === "number") {
    return long.high * 2 ** 32 + (long.low >>> 0);
  }
  return undefined;
}

export const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

export function isoFromSeconds(v: unknown): string | undefined {
  const seconds = int(v);
  return seconds ? new Date(seconds * 1000).toISOString() : undefined;
}

export function isoFromMillis(v: unknown): string | undefined {
  const millis = int(v);
  return millis ? new Date(millis).toISOString() : undefined;
}

/**
 * Bytes as base64, whichever way they were serialised: a base64 string (protobuf JSON, Evolution < 2.3.6), an
 * index-keyed object (a Uint8Array through JSON.stringify, Evolution >= 2.3.6), or Node's `{type:"Buffer", data}`.
 */
export function base64Bytes(v: unknown): string | undefined {
  if (typeof v === "string") return v || undefined;
  const obj = record(v);
  const values = Array.isArray(v) ? v : Array.isArray(obj?.data) ? obj.data : obj && Object.values(obj);
  if (!values?.length || !values.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) return undefined;
  return btoa(String.fromCharCode(...values as number[]));
}

/** How many bytes a base64 string decodes to. */
export const base64Size = (b64: string): number =>
  Math.floor(b64.length * 3 / 4) - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);

/** Drops undefined properties, so events compare and serialise exactly as built. */
export function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** A short stable digest (FNV-1a, 32 bits) for dedupe keys built from content. */
export function digest(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}
