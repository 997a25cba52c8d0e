// Runs every supabase/tests/*.sql file with psql and reads its TAP output, as `supabase test db` does with
// pg_prove: a file passes when it ran its whole plan with no "not ok".
import { join } from "../local/path.ts";

export async function runPgTap(dir: string, db: { port: number; host: string }) {
  const files: string[] = [];
  if (!(await Deno.stat(dir).catch(() => null))) return { passed: 0, failed: 0 };
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".sql")) files.push(e.name);
  }
  const psql = (args: string[]) =>
    new Deno.Command("psql", {
      args: [
        "-X",
        "-At",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        db.host,
        "-p",
        String(db.port),
        "-U",
        "postgres",
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  await psql(["-c", "create extension if not exists pgtap with schema extensions"]);
  let passed = 0, failed = 0;
  for (const name of files.sort()) {
    const out = await psql(["-f", join(dir, name)]);
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const lines = text.split("\n");
    const plan = Number(lines.find((l) => /^1\.\.\d+$/.test(l))?.slice(3) ?? NaN);
    const oks = lines.filter((l) => /^ok \d+/.test(l)).length;
    const notOks = lines.filter((l) => /^not ok \d+/.test(l));
    const fileOk = out.success && notOks.length === 0 && oks === plan;
    passed += oks;
    failed += notOks.length + (fileOk || notOks.length ? 0 : 1);
    console.log(`${fileOk ? "✔" : "✘"} pgTAP ${name}: ${oks}/${Number.isNaN(plan) ? "?" : plan}`);
    if (!fileOk) console.log(text.split("\n").filter((l) => !/^ok \d+/.test(l)).join("\n"));
  }
  return { passed, failed };
}
