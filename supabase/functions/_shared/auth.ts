// Who is calling: the platform has verified the JWT already (verify_jwt = true), so here it is only read.
import { forbidden, unauthorized } from "./errors.ts";

export type Claims = { role?: string; sub?: string; exp?: number } & Record<string, unknown>;

export function claimsOf(req: Request): Claims {
  const token = (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
  const payload = token.split(".")[1];
  if (!payload) {
    throw unauthorized("missing_jwt", "This endpoint needs a signed-in user or the service role.");
  }
  try {
    return JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw unauthorized("invalid_jwt", "The authorization token cannot be read.");
  }
}

export function requireServiceRole(req: Request): void {
  if (claimsOf(req).role !== "service_role") {
    throw forbidden("service_role_only", "Only the platform may call this.");
  }
}
