// Who is asking: PostgREST's JWT rules (src/PostgREST/Auth/Jwt.hs). No token → the anon role; a token must have
// three parts, a valid HS256 signature, and `exp`/`nbf`/`iat` within PostgREST's 30 s clock skew.
import { type Claims, JwtError, verifyJwt } from "../jwt.ts";
import { jwtError } from "./errors.ts";

export interface Caller {
  role: string;
  /** The claims as PostgREST puts them into `request.jwt.claims`: the token's, with `role` always present. */
  claims: Claims;
}

const SKEW_SECONDS = 30;

function payloadOf(token: string): Record<string, unknown> {
  const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, "=")));
}

function algorithmOf(token: string): string | undefined {
  try {
    const part = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, "="))).alg;
  } catch {
    return undefined;
  }
}

/** PostgREST's own claim checks, which it applies after the signature is known to be good. */
function checkClaims(claims: Record<string, unknown>): void {
  const now = Math.floor(Date.now() / 1000);
  const numeric = (key: string, bad: (n: number) => boolean, failure: string) => {
    if (!(key in claims)) return;
    const v = claims[key];
    if (typeof v !== "number") throw jwtError("PGRST303", `The JWT '${key}' claim must be a number`);
    if (bad(Math.floor(v))) throw jwtError("PGRST303", failure);
  };
  numeric("exp", (exp) => now - SKEW_SECONDS > exp, "JWT expired");
  numeric("nbf", (nbf) => now + SKEW_SECONDS < nbf, "JWT not yet valid");
  numeric("iat", (iat) => now + SKEW_SECONDS < iat, "JWT issued at future");
  if ("aud" in claims) {
    const aud = claims.aud;
    const ok = typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string"));
    if (!ok) throw jwtError("PGRST303", "The JWT 'aud' claim must be a string or an array of strings");
  }
}

async function verifiedClaims(token: string, secret: string): Promise<Record<string, unknown>> {
  try {
    return await verifyJwt(token, secret);
  } catch (e) {
    if (!(e instanceof JwtError)) throw e;
    const alg = algorithmOf(token);
    if (alg === undefined) throw jwtError("PGRST301", "JWT cryptographic operation failed");
    if (alg === "none") {
      throw jwtError(
        "PGRST301",
        "Wrong or unsupported encoding algorithm",
        "JWT is unsecured but expected 'alg' was not 'none'",
      );
    }
    // jose only judges time claims after the signature checked out, and without PostgREST's skew: judge them here.
    if (e.reason === "expired" || /^"\w+" claim/.test(e.message)) return payloadOf(token);
    throw jwtError(
      "PGRST301",
      "No suitable key or wrong key type",
      "None of the keys was able to decode the JWT",
    );
  }
}

export async function authenticate(
  authorization: string | null,
  secret: string,
  anonRole: string,
): Promise<Caller> {
  const m = authorization?.match(/^Bearer(?:\s+(.*))?$/i);
  if (!m) return { role: anonRole, claims: { role: anonRole } };
  const token = (m[1] ?? "").trim();
  if (token === "") throw jwtError("PGRST301", "Empty JWT is sent in Authorization header");
  const parts = token.split(".").length;
  if (parts !== 3) throw jwtError("PGRST301", `Expected 3 parts in JWT; got ${parts}`);
  const claims = await verifiedClaims(token, secret);
  checkClaims(claims);
  const role = typeof claims.role === "string"
    ? claims.role
    : claims.role === undefined
    ? anonRole
    : JSON.stringify(claims.role);
  return { role, claims: { ...claims, role } };
}
