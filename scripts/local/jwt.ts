// HS256 JWTs as GoTrue issues them and as PostgREST, Realtime and the functions gateway verify them.
import { errors, jwtVerify, SignJWT } from "npm:jose@6.2.18";

export type Claims = Record<string, unknown> & { role?: string; sub?: string; exp?: number };

export type JwtFailure = "expired" | "invalid" | "missing_claims";

export class JwtError extends Error {
  constructor(readonly reason: JwtFailure, message: string) {
    super(message);
  }
}

const keyCache = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) keyCache.set(secret, key = new TextEncoder().encode(secret));
  return key;
}

export function signJwt(claims: Claims, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(keyFor(secret));
}

export async function verifyJwt(token: string, secret: string): Promise<Claims> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { algorithms: ["HS256"] });
    return payload as Claims;
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw new JwtError("expired", "JWT expired");
    throw new JwtError("invalid", e instanceof Error ? e.message : String(e));
  }
}

/** Reads the claims without checking the signature: only for choosing an error message. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
