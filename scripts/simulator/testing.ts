// For the simulator's tests: a small webhook receiver standing in for our product's endpoint, and a running
// simulator with helpers to drive it over HTTP.
import { eventually } from "../test/wait.ts";
import { type StartOptions, startSimulator } from "./server.ts";

export interface Received {
  path: string;
  headers: Headers;
  /** The exact bytes posted. */
  raw: Uint8Array;
  // deno-lint-ignore no-explicit-any
  body: any;
}

type Responder = (request: Received, index: number) => number;

export function startReceiver(port: number, respond: Responder = () => 200) {
  const received: Received[] = [];
  const listeners = new Set<() => void>();
  const server = Deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const raw = new Uint8Array(await req.arrayBuffer());
    const url = new URL(req.url);
    const text = new TextDecoder().decode(raw);
    const request = {
      path: url.pathname + url.search,
      headers: req.headers,
      raw,
      body: text ? JSON.parse(text) : null,
    };
    received.push(request);
    const status = respond(request, received.length - 1);
    for (const listener of listeners) listener();
    return new Response(status === 200 ? "ok" : "no", { status });
  });

  /** Resolves once `count` requests matching `match` have arrived (fails after the deadline, saying what). */
  function waitFor(
    what: string,
    match: (r: Received) => boolean,
    count = 1,
    timeoutMs = 5_000,
  ): Promise<Received[]> {
    return eventually(`${what} (${count} expected)`, (resolve) => {
      const check = () => {
        const hits = received.filter(match);
        if (hits.length >= count) resolve(hits);
      };
      listeners.add(check);
      check();
      return () => listeners.delete(check);
    }, timeoutMs);
  }

  return { url: `http://127.0.0.1:${port}`, received, waitFor, stop: () => server.shutdown() };
}

export type Receiver = ReturnType<typeof startReceiver>;

/** A simulator on `base` and a receiver on `base + 1`, both stopped when `fn` ends. */
export async function withSimulator(
  base: number,
  fn: (t: { sim: ReturnType<typeof startSimulator>; receiver: Receiver; control: Control }) => Promise<void>,
  options: Partial<StartOptions> & { respond?: Responder } = {},
) {
  const { respond, ...simOptions } = options;
  const sim = startSimulator({ port: base, receiptDelayMs: 0, readOn: "delivery", ...simOptions });
  const receiver = startReceiver(base + 1, respond);
  try {
    await fn({ sim, receiver, control: control(sim.url) });
  } finally {
    await sim.stop();
    await receiver.stop();
  }
}

export type Control = ReturnType<typeof control>;

function control(base: string) {
  /** A JSON request to the simulator; answers status and parsed body. */
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // deno-lint-ignore no-explicit-any
    return { status: res.status, body: text ? JSON.parse(text) as any : null };
  }
  return {
    call,
    async ok(method: string, path: string, body?: unknown) {
      const res = await call(method, path, body);
      if (res.status >= 300) {
        throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      }
      return res.body;
    },
  };
}

export const EVOLUTION = { instance: "loja-centro", apikey: "evo-token-123" };
export const CLOUD = {
  phone_number_id: "106540352242922",
  display_phone_number: "15550783881",
  access_token: "EAAG-test-token",
  app_secret: "app-secret-shh",
  waba_id: "102290129340398",
};
export const CUSTOMER = "5511988887777";
