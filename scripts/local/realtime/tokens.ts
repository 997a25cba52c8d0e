// JWT checks with Realtime's own wording: at connect (an HTTP error before the upgrade) and at join or token
// refresh (a "<Code>: <message>" reason). Sources: supabase/realtime user_socket.ex, realtime_channel.ex,
// channels_authorization.ex.
import { type Claims, JwtError, looksLikeJwt, verifyJwt } from "../jwt.ts";

export type TokenProblem = "missing" | "expired" | "missing_claims" | "malformed" | "signature";

export class TokenError extends Error {
  constructor(readonly problem: TokenProblem, message: string) {
    super(message);
  }

  /** The HTTP answer to a WebSocket upgrade with this token. */
  get connectMessage(): string {
    return this.problem === "expired" ? "Token has expired" : this.message;
  }

  /** The join error reason, "<Code>: <message>". */
  get joinReason(): string {
    return `${joinCodes[this.problem]}: ${this.message}`;
  }
}

const joinCodes: Record<TokenProblem, string> = {
  missing: "InvalidJWTToken",
  expired: "InvalidJWTToken",
  missing_claims: "InvalidJWTToken",
  malformed: "MalformedJWT",
  signature: "JwtSignatureError",
};

function expiredFor(token: string): number {
  try {
    const exp = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).exp;
    return Math.max(0, Math.floor(Date.now() / 1000) - Math.round(Number(exp)));
  } catch {
    return 0;
  }
}

/** Verifies a token as Realtime does: valid signature, not expired, and carrying `role` and `exp`. */
export async function checkToken(token: string | null | undefined, secret: string): Promise<Claims> {
  if (!token) throw new TokenError("missing", "API key is missing");
  const clean = token.replace(/\s/g, "");
  if (!looksLikeJwt(clean)) throw new TokenError("malformed", "The token provided is not a valid JWT");
  let claims: Claims;
  try {
    claims = await verifyJwt(clean, secret);
  } catch (e) {
    if (e instanceof JwtError && e.reason === "expired") {
      throw new TokenError("expired", `Token has expired ${expiredFor(clean)} seconds ago`);
    }
    if (e instanceof JwtError && /signature/i.test(e.message)) {
      throw new TokenError("signature", "Failed to validate JWT signature");
    }
    throw new TokenError("malformed", "The token provided is not a valid JWT");
  }
  if (claims.role === undefined || typeof claims.exp !== "number") {
    throw new TokenError("missing_claims", "Fields `role` and `exp` are required in JWT");
  }
  return claims;
}

/** Seconds until the token expires; the channel re-checks it then, and at least every five minutes. */
export function secondsLeft(claims: Claims): number {
  return Number(claims.exp) - Date.now() / 1000;
}
