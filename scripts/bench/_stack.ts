// The benchmarks' own stack: a fresh one on the bench's ports, so figures never mix with someone else's traffic,
// with a service-role connection to its database, removed when the bench ends. The agents' console is left off
// unless a bench's `env` turns it on (ATENDE_WEB=1 and its ATENDE_WEB_PORT), as the console bench does.
import postgres from "npm:postgres@3.4.9";
import { repoRoot, type StackConfig } from "../local/config.ts";
import { join } from "../local/path.ts";
import { signJwt } from "../local/jwt.ts";
import { sleep } from "./_figures.ts";
import { type CpuSeconds, cpuSeconds } from "./_cpu.ts";
import { type SpawnedStack, spawnStack } from "../test/spawn-stack.ts";

export interface BenchStack {
  cfg: StackConfig;
  sql: postgres.Sql;
  /** CPU seconds used so far by the stack, its Postgres, this process and the machine. */
  cpu(): CpuSeconds;
  stop(): Promise<void>;
}

/** The bench ports are not reserved from the ephemeral range, so an outgoing connection may hold one a while. */
const PORT_ATTEMPTS = 3;
const PORT_STEP = 10;

/** Spawns on `portBase`, moving up by ten when a port is taken; `env` may place more ports relative to the base. */
async function spawnOnFreePorts(
  name: string,
  portBase: number,
  env: (base: number) => Record<string, string>,
): Promise<SpawnedStack> {
  for (let attempt = 0;; attempt++) {
    const base = portBase + attempt * PORT_STEP;
    const folder = `bench-${name}-${base}`;
    try {
      return await spawnStack({
        portBase: base,
        name: folder,
        reset: true,
        env: { ATENDE_WEB: "0", ...env(base) },
      });
    } catch (e) {
      await Deno.remove(join(repoRoot, ".local", folder), { recursive: true }).catch(() => {});
      if (attempt + 1 >= PORT_ATTEMPTS || !/AddrInUse|Address already in use/.test(String(e))) throw e;
    }
  }
}

/** A fresh stack with the API on `portBase` (or ten, twenty above) and Postgres on the port after it. */
export async function startBenchStack(
  name: string,
  portBase: number,
  env: (base: number) => Record<string, string> = () => ({}),
): Promise<BenchStack> {
  const started = performance.now();
  const stack = await spawnOnFreePorts(name, portBase, env);
  // Other work on the machine moves every figure; say how busy it was.
  const [load] = Deno.loadavg();
  console.log(
    `stack up on ${stack.cfg.apiUrl} in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `load average ${load.toFixed(1)} on ${navigator.hardwareConcurrency} cores`,
  );
  const sql = postgres(stack.cfg.dbUrl, { max: 8, onnotice: () => {} });
  return {
    cfg: stack.cfg,
    sql,
    cpu: () => cpuSeconds(stack.cfg, stack.pid),
    async stop() {
      await sql.end({ timeout: 2 });
      await stack.stop();
      // A bench stack is thrown away: the next run starts from --reset anyway.
      await Deno.remove(stack.cfg.dataDir, { recursive: true }).catch(() => {});
    },
  };
}

/** An access token for a seeded user, as GoTrue would issue it after sign-in. */
export function userToken(cfg: StackConfig, userId: string): Promise<string> {
  return signJwt({
    sub: userId,
    role: "authenticated",
    aud: "authenticated",
    exp: Math.floor(Date.now() / 1000) + 3600,
  }, cfg.jwtSecret);
}

/** Waits until the queue holds nothing, or the deadline passes; answers how many rows are left. */
export async function queueDrained(sql: postgres.Sql, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from app.message_queue`;
    if (n === 0 || performance.now() > deadline) return n;
    await sleep(200);
  }
}
