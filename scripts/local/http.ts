// Small HTTP helpers shared by the gateway's services.
import { readBodyWithin } from "../../supabase/functions/_shared/providers/body.ts";

export const corsHeaders = (req: Request): Record<string, string> => ({
  "access-control-allow-origin": req.headers.get("origin") ?? "*",
  "access-control-allow-credentials": "true",
  "access-control-expose-headers":
    "Content-Range, Content-Profile, X-Supabase-Api-Version, Proxy-Status, X-Relay-Error",
  "vary": "Origin",
});

export function preflight(req: Request): Response {
  return new Response(null, {
    status: 200,
    headers: {
      ...corsHeaders(req),
      "access-control-allow-methods": "GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS",
      "access-control-allow-headers": req.headers.get("access-control-request-headers") ?? "*",
      "access-control-max-age": "3600",
    },
  });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export class BodyTooLarge extends Error {}
export class BadJson extends Error {}

/** Reads the body as bytes, refusing anything over `limit` even when Content-Length is absent or lies. */
export function readBody(req: Request, limit: number): Promise<Uint8Array> {
  return readBodyWithin(req, limit, () => new BodyTooLarge(`body exceeds ${limit} bytes`));
}

export async function readJson(req: Request, limit: number): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(req, limit));
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadJson((e as Error).message);
  }
}

export function bearer(req: Request): string | null {
  const m = (req.headers.get("authorization") ?? "").match(/^Bearer\s+(.+)$/i);
  return m ? m[1].trim() : null;
}
