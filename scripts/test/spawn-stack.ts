// Starts a separate stack in a child process, for tests that must stop, restart or reset a whole stack
// without disturbing the shared one that `npm test` runs.
import { loadConfig, repoRoot, type StackConfig } from "../local/config.ts";
import { join } from "../local/path.ts";

export interface SpawnedStack {
  cfg: StackConfig;
  /** The stack's process id (benchmarks read its CPU time). */
  pid: number;
  /** What the child printed, up to its first OUTPUT_KEPT characters (start-up and the first requests). */
  output(): string;
  /** Graceful stop (SIGTERM), as Ctrl-C or `npm run stop` would. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  portBase: number;
  /** Data folder name under .local/; reuse it across spawns to test persistence. */
  name: string;
  reset?: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A stack under load prints a line per request; keeping them all would cost the benchmark that reads them memory
 * and CPU the stack should have.
 */
const OUTPUT_KEPT = 100_000;

export async function spawnStack(opts: SpawnOptions): Promise<SpawnedStack> {
  const dataDir = join(repoRoot, ".local", opts.name);
  const cfg = loadConfig({ apiPort: opts.portBase, dbPort: opts.portBase + 1, dataDir });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/local/main.ts", "start", ...(opts.reset ? ["--reset"] : [])],
    cwd: repoRoot,
    env: {
      ATENDE_API_PORT: String(cfg.apiPort),
      ATENDE_DB_PORT: String(cfg.dbPort),
      ATENDE_DATA_DIR: dataDir,
      // Stacks spawned by tests share the machine with the suite's own simulator.
      ATENDE_SIMULATOR: "0",
      ATENDE_WEB: "0",
      ...opts.env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  let onText = () => {};
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      if (text.length >= OUTPUT_KEPT) continue;
      text += new TextDecoder().decode(chunk);
      onText();
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`stack ${opts.name} not ready after ${timeoutMs} ms:\n${text}`)),
      timeoutMs,
    );
    onText = () => {
      if (text.includes("Atende offline stack is running.")) {
        clearTimeout(timer);
        onText = () => {};
        resolve();
      }
    };
    child.status.then((s) => {
      clearTimeout(timer);
      reject(new Error(`stack ${opts.name} exited with code ${s.code} before it was ready:\n${text}`));
    });
  }).catch(async (e) => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await pumps;
    throw e;
  });
  return {
    cfg,
    pid: child.pid,
    output: () => text,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await pumps;
    },
  };
}
