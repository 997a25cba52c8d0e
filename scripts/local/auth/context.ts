// What every Auth route gets: the gateway's context plus the project's Auth settings.
import type { Ctx } from "../gateway.ts";
import type { Client } from "./sessions.ts";
import type { AuthSettings } from "./settings.ts";

export interface AuthCtx extends Ctx {
  settings: AuthSettings;
}

export type Route = (req: Request, ctx: AuthCtx, param?: string) => Promise<Response>;

/** GoTrue's audience for a request: the X-JWT-AUD header, else the configured `authenticated`. */
export const audienceOf = (req: Request) => req.headers.get("x-jwt-aud") || "authenticated";

/** The client a session is recorded for: its User-Agent and address. */
export function clientOf(req: Request, ctx: AuthCtx): Client {
  const addr = ctx.info.remoteAddr;
  return { userAgent: req.headers.get("user-agent"), ip: "hostname" in addr ? addr.hostname : null };
}
