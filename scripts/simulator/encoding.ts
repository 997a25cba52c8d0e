// Bytes, hashes and the id formats the providers use, so what the simulator emits looks like the real thing.
// Hashes are synchronous (node:crypto) so webhooks are signed and queued in the order they are made.
import { createHash, createHmac } from "node:crypto";

const encoder = new TextEncoder();

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Decodes standard base64 (a `data:` URL prefix is allowed); null when the text is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  const body = text.replace(/^data:[^,]*;base64,/, "").replace(/[\r\n]+/g, "");
  if (!body || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  return Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
}

export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export const sha256 = (bytes: Uint8Array): Uint8Array =>
  new Uint8Array(createHash("sha256").update(bytes).digest());

export const hmacHex = (hash: "sha256" | "sha1", secret: string, bytes: Uint8Array): string =>
  createHmac(hash, secret).update(bytes).digest("hex");

const base64url = (bytes: Uint8Array) =>
  toBase64(bytes).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/** An HS256 JWT, as Evolution signs its webhooks when the headers carry a `jwt_key`. */
export function hs256Jwt(claims: Record<string, unknown>, secret: string): string {
  const part = (value: unknown) => base64url(utf8(JSON.stringify(value)));
  const input = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${input}.${base64url(new Uint8Array(createHmac("sha256", secret).update(input).digest()))}`;
}

export const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

const upperHex = (n: number) => toHex(randomBytes(Math.ceil(n / 2))).slice(0, n).toUpperCase();

/** Baileys' own ids ("3EB0" + 18 hex): Evolution reports their `source` as "web". */
export const evolutionMessageId = (): string => `3EB0${upperHex(18)}`;

/** An Android phone's message id (32 hex), reported as `source: "android"`. */
export const phoneMessageId = (): string => upperHex(32);

/**
 * A wamid: "wamid." + base64 of the small protobuf Meta wraps around the user's number and a message key
 * (direction byte 0x11 for business-sent, 0x12 for user-sent).
 */
export function wamid(waId: string, direction: "out" | "in"): string {
  const key = upperHex(direction === "out" ? 18 : 20);
  const parts = [0x1c, 0x18, waId.length, ...utf8(waId), 0x15, 0x02, 0x00, direction === "out" ? 0x11 : 0x12];
  return `wamid.${toBase64(new Uint8Array([...parts, 0x18, key.length, ...utf8(key), 0x00]))}`;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const alnum = (n: number, alphabet = ALNUM): string =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");

/** Graph's `fbtrace_id`. */
export const fbtraceId = (): string => alnum(23);

/** Evolution's database row ids are Prisma cuids. */
export const cuid = (): string => `cm${alnum(23, "abcdefghijklmnopqrstuvwxyz0123456789")}`;

/** Baileys' binary fields after Evolution ≥2.3.6 serializes them: an index-keyed object. */
export const indexKeyed = (bytes: Uint8Array): Record<string, number> =>
  Object.fromEntries(Array.from(bytes, (b, i) => [String(i), b]));

/** A protobuf Long as it appears in Evolution's JSON. */
export const long = (n: number, unsigned = true) => ({ low: n | 0, high: Math.floor(n / 2 ** 32), unsigned });

/** Meta writes non-ASCII characters as \uXXXX escapes, so the signed bytes differ from a re-serialization. */
export const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** Digits of a phone number or of the user part of a JID ("+55 (11) 9…", "5511…@s.whatsapp.net"). */
export const digits = (numberOrJid: string): string =>
  numberOrJid.split("@")[0].split(":")[0].replace(/\D/g, "");

export const unixSeconds = (ms = Date.now()): number => Math.floor(ms / 1000);
