// Webhook authentication. Meta signs every Cloud API POST with `X-Hub-Signature-256: sha256=<hex>`, an
// HMAC-SHA256 of the raw body keyed with the App Secret; it must be checked on the bytes as received, because
// Meta escapes non-ASCII as \uXXXX and a re-serialised body never matches. Evolution signs nothing, so its
// webhook compares a shared secret, with the same constant-time comparison.

const encoder = new TextEncoder();

export type SignatureCheck =
  | { ok: true }
  | {
    ok: false;
    reason: "no_app_secret" | "missing_signature" | "malformed_signature" | "signature_mismatch";
  };

async function hmacSha256(secret: string, body: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, body as Uint8Array<ArrayBuffer>));
}

/** Compares in time that depends only on the length, so a forger learns nothing from how fast we say no. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Constant-time equality of two secrets (a verify token, a shared webhook secret, Evolution's apikey). */
export const sameSecret = (given: string, expected: string): boolean =>
  expected !== "" && timingSafeEqual(encoder.encode(given), encoder.encode(expected));

/** The `X-Hub-Signature-256` value Meta sends for `body`: the simulator signs with it, tests too. */
export async function signCloudBody(body: Uint8Array, appSecret: string): Promise<string> {
  const mac = await hmacSha256(appSecret, body);
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export async function verifyCloudSignature(
  body: Uint8Array,
  header: string | null,
  appSecret: string,
): Promise<SignatureCheck> {
  // A channel without its App Secret can verify nothing (and WebCrypto refuses an empty HMAC key).
  if (!appSecret) return { ok: false, reason: "no_app_secret" };
  if (!header) return { ok: false, reason: "missing_signature" };
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1];
  if (!hex) return { ok: false, reason: "malformed_signature" };
  const given = Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
  const expected = await hmacSha256(appSecret, body);
  return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: "signature_mismatch" };
}
