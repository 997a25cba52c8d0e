// `npm run bench`: runs every benchmark in scripts/bench/ one after another (each starts what it needs and prints
// its figures beside a baseline measured in the same run). `npm run bench -- realtime` runs just that one.
import { repoRoot } from "../local/config.ts";
import { join } from "../local/path.ts";

const dir = join(repoRoot, "scripts", "bench");
const wanted = Deno.args.filter((a) => !a.startsWith("-"));
const benches: string[] = [];
for await (const e of Deno.readDir(dir)) {
  const name = e.name.replace(/\.ts$/, "");
  if (e.isFile && e.name.endsWith(".ts") && name !== "run" && !name.startsWith("_")) {
    if (!wanted.length || wanted.includes(name)) benches.push(name);
  }
}
let failed = 0;
for (const name of benches.sort()) {
  console.log(`\n━━ ${name} ━━`);
  const status = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(dir, `${name}.ts`)],
    cwd: repoRoot,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  if (!status.success) {
    failed++;
    console.log(`✘ ${name} exited with code ${status.code}`);
  }
}
Deno.exit(failed ? 1 : 0);
