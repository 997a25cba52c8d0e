// A private PostgreSQL 15 cluster under the git-ignored data folder, run with the system's binaries.
// Postgres refuses to run as root, so as root every server command runs as the `postgres` OS user.
import { join } from "../path.ts";
import type { StackConfig } from "../config.ts";

const PG_BIN = Deno.env.get("ATENDE_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
const isRoot = Deno.uid() === 0;

export const clusterDir = (cfg: StackConfig) => join(cfg.dataDir, "pg");
const logFile = (cfg: StackConfig) => join(cfg.dataDir, "postgres.log");

async function run(cmd: string, args: string[], opts: { quiet?: boolean } = {}): Promise<string> {
  const [program, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const out = await new Deno.Command(program, { args: argv, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success && !opts.quiet) throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  return out.success ? text : "";
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates the cluster on first use; returns true when it was created now. */
export async function ensureCluster(cfg: StackConfig): Promise<boolean> {
  const dir = clusterDir(cfg);
  if (await exists(join(dir, "PG_VERSION"))) return false;
  await Deno.mkdir(dir, { recursive: true });
  if (isRoot) await new Deno.Command("chown", { args: ["-R", "postgres:postgres", cfg.dataDir] }).output();
  const pwFile = join(cfg.dataDir, ".pwfile");
  await Deno.writeTextFile(pwFile, cfg.dbPassword + "\n");
  if (isRoot) await new Deno.Command("chown", { args: ["postgres", pwFile] }).output();
  await run(join(PG_BIN, "initdb"), [
    "-D",
    dir,
    "-U",
    "postgres",
    "--pwfile",
    pwFile,
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "--encoding=UTF8",
    "--locale=C.UTF-8",
  ]);
  await Deno.remove(pwFile);
  await Deno.writeTextFile(
    join(dir, "postgresql.auto.conf"),
    [
      `port = ${cfg.dbPort}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      `shared_preload_libraries = 'pg_cron'`,
      `cron.database_name = 'postgres'`,
      // Background workers avoid pg_cron's libpq login, so no password file is needed.
      `cron.use_background_workers = on`,
      `max_worker_processes = 32`,
      `max_connections = 200`,
      `shared_buffers = '256MB'`,
      `wal_level = logical`,
      // A fresh cluster has few WAL segments to recycle: zero-filling each new 16 MB one holds every commit back
      // for 50-100 ms on this kind of disk. Without it a segment is created sparse; commits still wait for fsync.
      `wal_init_zero = off`,
      // Supabase's tuned instance settings use 4 GB. With the 1 GB default the ingest bench's load started a
      // checkpoint every 45-50 s, and the full-page image Postgres logs for each page first changed after a
      // checkpoint starts took the processor's Postgres CPU per message from 0.7 ms to 1.4-3.8 ms in the drains
      // it overlapped.
      `max_wal_size = '4GB'`,
      `log_min_messages = warning`,
      `timezone = 'UTC'`,
      "",
    ].join("\n"),
    { append: true },
  );
  return true;
}

export async function isClusterRunning(cfg: StackConfig): Promise<boolean> {
  const out = await run(join(PG_BIN, "pg_ctl"), ["status", "-D", clusterDir(cfg)], { quiet: true });
  return out.includes("server is running");
}

export async function startCluster(cfg: StackConfig): Promise<void> {
  if (await isClusterRunning(cfg)) return;
  if (isRoot) await new Deno.Command("chown", { args: ["-R", "postgres:postgres", cfg.dataDir] }).output();
  try {
    await run(join(PG_BIN, "pg_ctl"), ["start", "-w", "-t", "60", "-D", clusterDir(cfg), "-l", logFile(cfg)]);
  } catch (e) {
    const log = await Deno.readTextFile(logFile(cfg)).catch(() => "");
    throw new Error(
      `${(e as Error).message}\n--- postgres.log (tail) ---\n${log.split("\n").slice(-20).join("\n")}`,
    );
  }
}

export async function stopCluster(cfg: StackConfig): Promise<void> {
  if (!(await isClusterRunning(cfg))) return;
  await run(join(PG_BIN, "pg_ctl"), ["stop", "-w", "-m", "fast", "-D", clusterDir(cfg)]);
}

export async function wipeCluster(cfg: StackConfig): Promise<void> {
  await stopCluster(cfg);
  await Deno.remove(cfg.dataDir, { recursive: true }).catch(() => {});
}
