// Serves the agents' console (the built web/dist) with the one file the SPA reads at boot, /config.json, telling
// it where this stack's API is. Unknown paths fall back to index.html so client-side routes survive a reload.
import type { StackConfig } from "./config.ts";
import { repoRoot } from "./config.ts";
import { join } from "./path.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
};

const typeOf = (path: string) => TYPES[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream";

export function startWebServer(cfg: StackConfig, port: number) {
  const dist = join(repoRoot, "web", "dist");
  const config = JSON.stringify({ supabaseUrl: cfg.apiUrl, anonKey: cfg.anonKey });
  const server = Deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path === "/config.json") {
      return new Response(config, { headers: { "content-type": "application/json" } });
    }
    const file = path.includes("..") || path === "/" ? "index.html" : path.slice(1);
    for (const candidate of [file, "index.html"]) {
      try {
        const body = await Deno.readFile(join(dist, candidate));
        const immutable = candidate.startsWith("assets/");
        return new Response(body, {
          headers: {
            "content-type": typeOf(candidate),
            "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
          },
        });
      } catch {
        // not there: fall back to the SPA's entry
      }
    }
    return new Response("The console is not built: run `npm --prefix web run build`.", { status: 503 });
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => server.shutdown() };
}
