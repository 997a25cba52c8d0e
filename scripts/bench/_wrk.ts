// Closed-loop HTTP load from wrk (Debian's, written in C). On a 2-core machine the load generator shares the cores
// with what it measures; wrk spends a fraction of what a Deno fetch client does per request, so nearly all the CPU
// goes to the stack, as pgbench's own C client leaves it to Postgres in the baseline.
import type { LoadSummary } from "./_load.ts";

// One thread, so the script needs no per-thread split of the bodies; each request is formatted once, up front.
const SCRIPT = `
local requests = {}
local at = 0
function init(args)
  for line in io.lines(args[1]) do requests[#requests + 1] = wrk.format("POST", nil, nil, line) end
end
function request()
  at = at % #requests + 1
  return requests[at]
end
function done(summary, latency)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration, e.status,
    e.connect, e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
`;

/**
 * `connections` requests in flight for `seconds`, each a POST of the next body (they wrap around: give more than
 * the run can use, or the extra ones are redeliveries).
 */
export async function wrkClosedLoop(opts: {
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  connections: number;
  seconds: number;
}): Promise<LoadSummary> {
  const dir = await Deno.makeTempDir({ prefix: "atende-wrk-" });
  try {
    await Deno.writeTextFile(`${dir}/load.lua`, SCRIPT);
    // One body a line: JSON.stringify never emits a raw newline.
    await Deno.writeTextFile(`${dir}/bodies.txt`, opts.bodies.join("\n") + "\n");
    const out = await new Deno.Command("wrk", {
      args: [
        "-t1",
        `-c${opts.connections}`,
        `-d${opts.seconds}s`,
        "--timeout",
        "10s",
        ...Object.entries(opts.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
        "-s",
        `${dir}/load.lua`,
        opts.url,
        "--",
        `${dir}/bodies.txt`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const m = text.match(/^RESULT ([\d ]+)$/m);
    if (!out.success || !m) throw new Error(`wrk failed (exit ${out.code}):\n${text}`);
    const [requests, durationUs, status, connect, read, write, timeout, p50, p99, max] = m[1].split(" ").map(
      Number,
    );
    const failures = Object.entries({ "non-2xx": status, connect, read, write, timeout });
    const seconds = durationUs / 1e6;
    return {
      ok: requests - status,
      errors: failures.reduce((sum, [, n]) => sum + n, 0),
      errorReasons: failures.filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`),
      okRate: (requests - status) / seconds,
      latency: { p50: p50 / 1000, p99: p99 / 1000, max: max / 1000 },
      seconds,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
