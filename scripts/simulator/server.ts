// The WhatsApp simulator on one port: Evolution API's and the Cloud API's endpoints, the control API under
// /_control, and the customer-phone page at /.
import { json } from "../local/http.ts";
import { cloudApi } from "./cloud.ts";
import { controlApi } from "./control.ts";
import { evolutionApi } from "./evolution.ts";
import { phonePage } from "./phone.ts";
import { Sim, type SimulatorOptions } from "./sim.ts";

export interface StartOptions extends SimulatorOptions {
  port: number;
  hostname?: string;
}

export interface RunningSimulator {
  url: string;
  state: Sim;
  stop(): Promise<void>;
}

export function startSimulator({ port, hostname = "127.0.0.1", ...options }: StartOptions): RunningSimulator {
  const sim = new Sim(options);
  const server = Deno.serve({ port, hostname, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    try {
      if (path.startsWith("/_control/")) return await controlApi(sim, req, path, url);
      return await evolutionApi(sim, req, path) ?? await cloudApi(sim, req, url) ??
        await phonePage(sim, req, url) ??
        json({ error: { code: "not_found", message: `nothing at ${req.method} ${path}` } }, 404);
    } catch (e) {
      console.error(`[simulator] ${req.method} ${path} failed:`, e);
      return json({ error: { code: "internal", message: String(e) } }, 500);
    }
  });
  sim.url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${server.addr.port}`;
  return {
    url: sim.url,
    state: sim,
    async stop() {
      await sim.stop();
      await server.shutdown();
    },
  };
}
