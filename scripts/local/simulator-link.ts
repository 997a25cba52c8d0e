// `npm start` runs the WhatsApp simulator beside the stack and connects the project's channels to it the way an
// integrator connects real ones: Evolution's webhook through its own POST /webhook/set, the Cloud API number with
// its callback URL and verify token. So the demo works offline, end to end.
import type { StackConfig } from "./config.ts";
import type { Sql } from "./db.ts";
import { startSimulator } from "../simulator/server.ts";
import type { ReadOn } from "../simulator/model.ts";
import { EVOLUTION_WEBHOOK_EVENTS, SECRET_HEADER } from "../../supabase/functions/_shared/channel-setup.ts";

/** The address seed.sql gives the demo channels. */
export const SEEDED_SIMULATOR_URL = "http://127.0.0.1:54330";

interface LinkedChannel {
  id: string;
  provider: "evolution" | "cloud";
  external_id: string;
  webhook_secret: string | null;
  api_key: string | null;
  app_secret: string | null;
  verify_token: string | null;
  access_token: string | null;
}

async function call(url: string, init: RequestInit & { json?: unknown }) {
  const res = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method} ${url} answered ${res.status}: ${text}`);
}

export async function startLinkedSimulator(cfg: StackConfig, sql: Sql) {
  const env = (name: string) => Deno.env.get(name);
  const sim = startSimulator({
    port: Number(env("ATENDE_SIMULATOR_PORT") ?? 54330),
    receiptDelayMs: Number(env("ATENDE_SIMULATOR_RECEIPT_DELAY_MS") ?? 300),
    readOn: (env("ATENDE_SIMULATOR_READ_ON") ?? "view") as ReadOn,
  });
  // Channels seeded for the default address follow the simulator when it runs elsewhere (the tests' own port).
  await sql`update public.channels set base_url = ${sim.url} where base_url = ${SEEDED_SIMULATOR_URL}`;
  const channels = await sql<LinkedChannel[]>`
    select c.id, c.provider, c.external_id, s.webhook_secret, s.api_key, s.app_secret, s.verify_token, s.access_token
    from public.channels c join app.channel_secrets s on s.channel_id = c.id
    where c.base_url = ${sim.url}`;
  for (const ch of channels) {
    if (ch.provider === "evolution") {
      await call(`${sim.url}/_control/channels/evolution`, {
        method: "POST",
        json: { instance: ch.external_id, apikey: ch.api_key },
      });
      await call(`${sim.url}/webhook/set/${encodeURIComponent(ch.external_id)}`, {
        method: "POST",
        headers: { apikey: ch.api_key ?? "" },
        json: {
          webhook: {
            enabled: true,
            url: `${cfg.apiUrl}/functions/v1/webhook-evolution/${ch.id}`,
            headers: { [SECRET_HEADER]: ch.webhook_secret },
            byEvents: false,
            base64: false,
            events: EVOLUTION_WEBHOOK_EVENTS,
          },
        },
      });
    } else {
      await call(`${sim.url}/_control/channels/cloud`, {
        method: "POST",
        json: {
          phone_number_id: ch.external_id,
          display_phone_number: `1555${ch.external_id.slice(-7)}`,
          access_token: ch.access_token,
          app_secret: ch.app_secret,
          verify_token: ch.verify_token,
          webhook_url: `${cfg.apiUrl}/functions/v1/webhook-whatsapp/${ch.id}`,
          waba_id: "300000000000001",
        },
      });
    }
  }
  return { url: sim.url, channels: channels.length, stop: () => sim.stop() };
}
