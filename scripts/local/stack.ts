// Brings the whole offline stack up in this process: Postgres cluster, bootstrap and migrations, the gateway with
// auth, rest, realtime and functions, and the pg_net worker. Used by `npm start` and by the test harness.
import type { StackConfig } from "./config.ts";
import { connect } from "./db.ts";
import { createGateway, type Mount } from "./gateway.ts";
import { functionsService, loadFunctions } from "./functions.ts";
import { startNetWorker } from "./net.ts";
import { ensureCluster, startCluster, stopCluster, wipeCluster } from "./postgres/cluster.ts";
import { migrate } from "./postgres/migrate.ts";
import { authService } from "./auth/service.ts";
import { createRestService } from "./rest/service.ts";
import { createRealtime } from "./realtime/service.ts";
import { join } from "./path.ts";
import { startLinkedSimulator } from "./simulator-link.ts";
import { startWebServer } from "./web.ts";

export interface StartOptions {
  reset?: boolean;
  /** Extra migration folders applied after the project's own, e.g. the contract suite's test tables. */
  extraMigrations?: string[];
  /** Extra functions folders served beside the project's, e.g. the contract suite's test functions. */
  extraFunctions?: string[];
}

export interface RunningStack {
  cfg: StackConfig;
  /** The WhatsApp simulator's address, unless ATENDE_SIMULATOR=0. */
  simulatorUrl: string | null;
  /** The agents' console, unless ATENDE_WEB=0. */
  webUrl: string | null;
  applied: string[];
  seeded: boolean;
  stop(): Promise<void>;
}

const lockFile = (cfg: StackConfig) => join(cfg.dataDir, "stack.pid");

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

export class AlreadyRunning extends Error {}

/** Refuses a second stack on the same data folder instead of letting two processes share one cluster. */
async function takeLock(cfg: StackConfig): Promise<void> {
  const pid = Number(await Deno.readTextFile(lockFile(cfg)).catch(() => "0"));
  if (pid && pid !== Deno.pid && alive(pid)) {
    throw new AlreadyRunning(
      `the stack is already running (pid ${pid}) on ${cfg.apiUrl}; stop it first with \`npm run stop\``,
    );
  }
  await Deno.mkdir(cfg.dataDir, { recursive: true });
  await Deno.writeTextFile(lockFile(cfg), String(Deno.pid));
}

export function runningPid(cfg: StackConfig): number | null {
  try {
    const pid = Number(Deno.readTextFileSync(lockFile(cfg)));
    return pid && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * What a hosted project keeps in Vault for its scheduled functions (Supabase's documented pattern): this stack's
 * URL and service role key, rewritten at every start since ports and keys may change.
 */
async function storeProjectSecrets(sql: ReturnType<typeof connect>, cfg: StackConfig) {
  for (const [name, secret] of [["project_url", cfg.apiUrl], ["service_role_key", cfg.serviceRoleKey]]) {
    await sql`insert into vault.secrets (name, secret) values (${name}, ${secret})
      on conflict (name) do update set secret = excluded.secret, updated_at = now()`;
  }
}

export async function startStack(cfg: StackConfig, opts: StartOptions = {}): Promise<RunningStack> {
  if (opts.reset) {
    if (runningPid(cfg)) {
      throw new AlreadyRunning(`cannot reset while the stack runs (pid ${runningPid(cfg)})`);
    }
    await wipeCluster(cfg);
  }
  await takeLock(cfg);
  await ensureCluster(cfg);
  await startCluster(cfg);
  const sql = connect(cfg);
  const cleanup: (() => Promise<unknown>)[] = [
    async () => await sql.end({ timeout: 2 }),
    () => stopCluster(cfg),
  ];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch((e) => console.error(e));
    await Deno.remove(lockFile(cfg)).catch(() => {});
  };
  try {
    const { applied, seeded } = await migrate(sql, cfg.supabaseDir, opts.extraMigrations ?? []);
    await storeProjectSecrets(sql, cfg);
    const realtime = await createRealtime(cfg, sql);
    cleanup.push(() => realtime.stop());
    const rest = await createRestService(cfg, sql);
    cleanup.push(() => rest.stop());
    const functions = await loadFunctions(cfg, opts.extraFunctions ?? []);
    const mounts: Mount[] = [
      { prefix: "/auth/v1", handler: authService(), requireKey: true },
      { prefix: "/rest/v1", handler: rest.handler, requireKey: true },
      { prefix: "/realtime/v1", handler: realtime.handler, requireKey: true },
      { prefix: "/functions/v1", handler: functionsService(functions), requireKey: false },
    ];
    const net = await startNetWorker(sql);
    cleanup.push(() => net.stop());
    const server = Deno.serve(
      { port: cfg.apiPort, hostname: "127.0.0.1", onListen: () => {} },
      createGateway(cfg, sql, mounts),
    );
    cleanup.push(() => server.shutdown());
    let simulatorUrl: string | null = null;
    if (Deno.env.get("ATENDE_SIMULATOR") !== "0") {
      const simulator = await startLinkedSimulator(cfg, sql);
      cleanup.push(() => simulator.stop());
      simulatorUrl = simulator.url;
    }
    let webUrl: string | null = null;
    if (Deno.env.get("ATENDE_WEB") !== "0") {
      const web = startWebServer(cfg, Number(Deno.env.get("ATENDE_WEB_PORT") ?? 54323));
      cleanup.push(() => web.stop());
      webUrl = web.url;
    }
    return { cfg, applied, seeded, simulatorUrl, webUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
