// The Realtime endpoint of the offline stack, mounted by the gateway at /realtime/v1: the Phoenix WebSocket at
// /websocket (vsn 1.0.0 and 2.0.0) and the REST broadcast API at /api/broadcast. See the Realtime section of the
// README for what it supports.
import type { StackConfig } from "../config.ts";
import type { Sql } from "../db.ts";
import type { Ctx, ServiceHandler } from "../gateway.ts";
import { json } from "../http.ts";
import type { ChannelDeps } from "./channel.ts";
import { Connection } from "./connection.ts";
import { startDatabaseBroadcast } from "./db-broadcast.ts";
import { broadcastApi, xHeaders } from "./http-api.ts";
import { Hub } from "./hub.ts";
import { supportedVsns, type Vsn } from "./protocol.ts";
import { loadSettings } from "./settings.ts";
import { checkToken, TokenError } from "./tokens.ts";

export async function createRealtime(
  cfg: StackConfig,
  sql: Sql,
): Promise<{ handler: ServiceHandler; stop(): Promise<void> }> {
  const settings = loadSettings();
  const deps: ChannelDeps = { sql, hub: new Hub(), jwtSecret: cfg.jwtSecret, settings };
  const connections = new Set<Connection>();
  const database = await startDatabaseBroadcast(cfg, sql, deps.hub, settings);

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const c of connections) {
      if (c.idleFor(now) > settings.idleTimeoutMs) c.disconnect(1000, "heartbeat timeout");
    }
  }, Math.min(5000, settings.idleTimeoutMs / 4));

  /** The upgrade checks Realtime makes before accepting a socket (user_socket.ex `connect/3`). */
  const upgrade = async (req: Request, ctx: Ctx): Promise<Response> => {
    const vsn = ctx.url.searchParams.get("vsn") ?? "1.0.0";
    if (!supportedVsns.includes(vsn)) return json({ error: `Unsupported protocol version ${vsn}` }, 403);
    // The gateway has already turned an sb_ key in `apikey` into its role JWT, in ctx.url.
    const token = req.headers.get("x-api-key") ?? ctx.url.searchParams.get("apikey") ?? "";
    try {
      await checkToken(token, cfg.jwtSecret);
    } catch (e) {
      if (e instanceof TokenError) return json({ error: e.connectMessage }, 401);
      throw e;
    }
    if ((req.headers.get("upgrade") ?? "").toLowerCase() !== "websocket") {
      return json({ error: "Expected a WebSocket upgrade" }, 400);
    }
    // Read before the upgrade: afterwards Deno may have closed the request.
    const headers = xHeaders(req);
    const { socket, response } = Deno.upgradeWebSocket(req);
    const opened = performance.now();
    // One log line per socket, when it ends, in the gateway's format (the gateway does not log upgrades).
    const gone = (c: Connection, code: number) => {
      connections.delete(c);
      const ms = (performance.now() - opened).toFixed(1);
      console.log(`GET /realtime/v1/websocket 101 ${ms}ms vsn=${vsn} close=${code}`);
    };
    connections.add(new Connection(socket, vsn as Vsn, token, headers, deps, gone));
    return response;
  };

  return {
    handler: (req, ctx) => {
      if (ctx.path === "/websocket") return upgrade(req, ctx);
      if (ctx.path.startsWith("/api/")) return broadcastApi(req, ctx, deps);
      return json({ message: "Not Found" }, 404);
    },
    async stop() {
      clearInterval(sweep);
      for (const c of [...connections]) c.disconnect(1001, "server shutting down");
      await database.stop();
    },
  };
}
