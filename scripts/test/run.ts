// `npm test`: every layer on the real thing, in order — formatting and lint, then a fresh stack on its own
// ports, pgTAP on its database, `deno test` for the stack and the functions, then the web app's own checks.
// Ends with one line "N passed, N failed" and a non-zero exit code when anything failed.
import { repoRoot } from "../local/config.ts";
import { join } from "../local/path.ts";
import { testDataDir, testPorts } from "./env.ts";
import { runPgTap } from "./pgtap.ts";

const only = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const denoFilter = Deno.args.find((a) => a.startsWith("--filter="))?.slice(9);
const denoPaths = Deno.args.find((a) => a.startsWith("--paths="))?.slice(8).split(",");
const want = (step: string) => !only || only.includes(step);
const deno = Deno.execPath();

interface Outcome {
  step: string;
  passed: number;
  failed: number;
}
const outcomes: Outcome[] = [];

async function sh(cmd: string, args: string[], env: Record<string, string> = {}, cwd = repoRoot) {
  const out = await new Deno.Command(cmd, { args, env, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, text };
}

async function check(step: string, cmd: string, args: string[]) {
  const { ok, text } = await sh(cmd, args);
  if (!ok) console.log(text);
  console.log(`${ok ? "✔" : "✘"} ${step}`);
  outcomes.push({ step, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
}

const stackEnv = {
  ATENDE_API_PORT: String(testPorts.api),
  ATENDE_DB_PORT: String(testPorts.db),
  ATENDE_DATA_DIR: testDataDir,
  ATENDE_EXTRA_MIGRATIONS: join(repoRoot, "scripts", "test", "migrations"),
  ATENDE_EXTRA_FUNCTIONS: join(repoRoot, "scripts", "test", "functions"),
  ATENDE_SIMULATOR_PORT: String(testPorts.simulator),
  ATENDE_WEB_PORT: String(testPorts.web),
  ATENDE_SIMULATOR_RECEIPT_DELAY_MS: "0",
  ATENDE_SIMULATOR_READ_ON: "delivery",
  // An unanswered send is retried after one second here, not thirty.
  ATENDE_SEND_GRACE_SECONDS: "1",
  ATENDE_SEND_TIMEOUT_MS: "1500",
};

async function startTestStack(): Promise<{ stop: () => Promise<void> }> {
  const logPath = `${testDataDir}.log`;
  await Deno.mkdir(join(repoRoot, ".local"), { recursive: true });
  const log = await Deno.open(logPath, { write: true, create: true, truncate: true });
  const child = new Deno.Command(deno, {
    args: ["run", "-A", "scripts/local/main.ts", "start", "--reset"],
    cwd: repoRoot,
    env: stackEnv,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let ready!: () => void;
  const readySeen = new Promise<void>((r) => ready = r);
  let seen = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      await log.write(chunk);
      if (seen.length < 100_000) {
        seen += new TextDecoder().decode(chunk);
        if (seen.includes("Atende offline stack is running.")) ready();
      }
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("the test stack did not start within 180 s")), 180_000)
  );
  const exited = child.status.then((s) => {
    throw new Error(`the test stack exited with code ${s.code} before it was ready:\n${seen.slice(-3000)}`);
  });
  await Promise.race([readySeen, deadline, exited]);
  return {
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await pumps;
      log.close();
    },
  };
}

async function denoTests(step: string, paths: string[]) {
  const args = ["test", "-A", "--no-prompt", ...(denoFilter ? ["--filter", denoFilter] : []), ...paths];
  const child = new Deno.Command(deno, {
    args,
    cwd: repoRoot,
    env: stackEnv,
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  let text = "";
  const echo = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    for await (const chunk of stream) {
      text += new TextDecoder().decode(chunk);
      await sink.write(chunk);
    }
  };
  await Promise.all([echo(child.stdout, Deno.stdout), echo(child.stderr, Deno.stderr)]);
  const status = await child.status;
  // deno's summary line reads "ok | 12 passed (3 steps) | 0 failed (2s)".
  const clean = text.replace(new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g"), "");
  const m = [...clean.matchAll(/\| (\d+) passed[^|]*\| (\d+) failed/g)].pop();
  const passed = m ? Number(m[1]) : 0;
  const failed = m ? Number(m[2]) : 0;
  outcomes.push({ step, passed, failed: failed || (status.success ? 0 : 1) });
}

/** Runs a Vitest suite of the web app and reads its "Tests  N passed | M failed" summary. */
async function vitest(step: string, script: string, env: Record<string, string> = {}) {
  const child = new Deno.Command("npm", {
    args: ["--prefix", "web", "run", script],
    cwd: repoRoot,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const echo = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    for await (const chunk of stream) {
      text += new TextDecoder().decode(chunk);
      await sink.write(chunk);
    }
  };
  await Promise.all([echo(child.stdout, Deno.stdout), echo(child.stderr, Deno.stderr)]);
  const status = await child.status;
  const clean = text.replace(new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g"), "");
  const summary = clean.split("\n").find((l) => /^\s*Tests\s+/.test(l)) ?? "";
  const passed = Number(summary.match(/(\d+) passed/)?.[1] ?? 0);
  const failed = Number(summary.match(/(\d+) failed/)?.[1] ?? 0);
  outcomes.push({ step, passed, failed: failed || (status.success ? 0 : 1) });
}

/** The e2e run photographs the inbox, a conversation and the board (and any failing test's pages) here. */
const screenshotDir = join(repoRoot, "web", "test-results");

async function listScreenshots() {
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(screenshotDir)) if (e.name.endsWith(".png")) files.push(e.name);
  } catch {
    // no folder: nothing was photographed
  }
  if (files.length) console.log(`Screenshots in ${screenshotDir}/: ${files.sort().join(", ")}`);
}

if (want("fmt")) await check("deno fmt --check", deno, ["fmt", "--check"]);
if (want("lint")) await check("deno lint", deno, ["lint"]);
if (want("web")) await check("web: eslint and tsc", "npm", ["--prefix", "web", "run", "lint"]);
if (want("vitest")) await vitest("web: vitest", "test");

const needsStack = ["pgtap", "deno", "e2e"].some(want);
if (needsStack) {
  const stack = await startTestStack();
  try {
    if (want("pgtap")) {
      const r = await runPgTap(join(repoRoot, "supabase", "tests"), {
        port: testPorts.db,
        host: join(stackEnv.ATENDE_DATA_DIR, "pg"),
      });
      outcomes.push({ step: "pgTAP", ...r });
    }
    if (want("deno")) await denoTests("deno test", denoPaths ?? ["scripts/", "supabase/functions/"]);
    if (want("e2e")) {
      // this run's pictures only: a failure's screenshots from an earlier run would mislead
      await Deno.remove(screenshotDir, { recursive: true }).catch(() => {});
      await vitest("web: Playwright in Chromium", "e2e", {
        ATENDE_WEB_URL: `http://127.0.0.1:${testPorts.web}`,
        ATENDE_API_URL: `http://127.0.0.1:${testPorts.api}`,
        ATENDE_SIMULATOR_URL: `http://127.0.0.1:${testPorts.simulator}`,
      });
      await listScreenshots();
    }
  } finally {
    await stack.stop();
  }
}

console.log("");
for (const o of outcomes) {
  console.log(`${o.failed ? "✘" : "✔"} ${o.step}: ${o.passed} passed, ${o.failed} failed`);
}
const passed = outcomes.reduce((n, o) => n + o.passed, 0);
const failed = outcomes.reduce((n, o) => n + o.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed ? 1 : 0);
