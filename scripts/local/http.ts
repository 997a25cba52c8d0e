// Small HTTP helpers shared by the gateway's services.

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
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (Number(declared ?? "0") > limit) throw new BodyTooLarge(`body of ${declared} bytes exceeds ${limit}`);
  // A declared length is held to by the HTTP server: read in one go. Asked for first, req.body would build a stream
  // and take Deno's arrayBuffer() off its fast path.
  if (declared !== null) return new Uint8Array(await req.arrayBuffer());
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLarge(`body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.byteLength) - c.byteLength);
  return out;
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
