// `npm start` / `npm run stop`: the offline Supabase-compatible stack from the command line.
import { loadConfig } from "./config.ts";
import { AlreadyRunning, runningPid, startStack } from "./stack.ts";
import { MigrationError } from "./postgres/migrate.ts";
import { printBanner } from "./banner.ts";
import { batchConsoleOutput } from "./console-batch.ts";

const [command = "start", ...rest] = Deno.args;
const flags = new Set(rest);
const cfg = loadConfig({ verbose: flags.has("--verbose") || Deno.env.get("ATENDE_VERBOSE") === "1" });
const paths = (name: string) => (Deno.env.get(name) ?? "").split(":").filter(Boolean);

async function start() {
  batchConsoleOutput();
  try {
    const stack = await startStack(cfg, {
      reset: flags.has("--reset"),
      extraMigrations: paths("ATENDE_EXTRA_MIGRATIONS"),
      extraFunctions: paths("ATENDE_EXTRA_FUNCTIONS"),
    });
    await printBanner(stack);
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      console.log("stopping…");
      await stack.stop();
      Deno.exit(0);
    };
    Deno.addSignalListener("SIGINT", shutdown);
    Deno.addSignalListener("SIGTERM", shutdown);
  } catch (e) {
    if (e instanceof AlreadyRunning || e instanceof MigrationError) {
      console.error(`error: ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
}

async function stop() {
  const pid = runningPid(cfg);
  if (!pid) {
    console.log("the stack is not running");
    return;
  }
  Deno.kill(pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (runningPid(cfg)) {
    if (Date.now() > deadline) throw new Error(`the stack (pid ${pid}) did not stop within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log("stopped");
}

if (command === "start") await start();
else if (command === "stop") await stop();
else {
  console.error(`unknown command ${command}; use start [--reset] [--verbose] or stop`);
  Deno.exit(2);
}
