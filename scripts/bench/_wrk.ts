// HTTP load from wrk (Debian's, written in C). On a 2-core machine the load generator shares the cores with what it
// measures; wrk spends a fraction of what a Deno fetch client does per request and never pauses for a garbage
// collection of its own, so nearly all the CPU goes to the stack (as pgbench's C client leaves it to Postgres in
// the baseline) and a stall the figures show is the stack's.
import type { LoadSummary } from "./_load.ts";

/** How far behind its slot a paced request may leave before it counts as late. */
export const LATE_MS = 10;

// One thread, so the script needs no per-thread split of the bodies; each request is formatted once, up front.
// Paced, every request has a slot on one schedule (start + i / rate); a connection that frees up takes the next
// slot and waits for it, so the rate holds whatever the answers take. A request leaves late when every connection
// is still waiting for an answer (or wrk itself got no CPU); such requests are counted, and the percentiles allow
// for them (see done()).
const SCRIPT = `
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } atende_timespec;
int clock_gettime(int clock, atende_timespec *tp);
]]
local clock = ffi.new("atende_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local requests = {}
local at = 0
local interval = nil
local start = nil
local slots = 0
-- Slots are handed out in order and their timers fire in order, so the oldest slot waiting is the one that leaves
-- next: its lateness is measured as it is sent, where a starved wrk would show too.
local waiting = {}
local first, last = 1, 0
late = 0

function init(args)
  for line in io.lines(args[1]) do requests[#requests + 1] = wrk.format("POST", nil, nil, line) end
  -- unpaced, no delay() at all: wrk then sends the next request straight from the answer
  if args[2] then interval = 1000 / tonumber(args[2]) else delay = nil end
end

function request()
  if first <= last then
    if now_ms() - waiting[first] > ${LATE_MS} then late = late + 1 end
    waiting[first] = nil
    first = first + 1
  end
  at = at % #requests + 1
  return requests[at]
end

function delay()
  local now = now_ms()
  start = start or now
  local due = start + slots * interval
  slots = slots + 1
  last = last + 1
  waiting[last] = due
  return math.max(0, math.ceil(due - now))
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

-- A late request's wait is not in its latency, so the percentiles are read that much higher: with k of n requests
-- late, the true p99 is at most the measured p(99 + 100k/n), however late they left (while k/n stays under 1 %).
function done(summary, latency)
  local e = summary.errors
  local late_requests = threads[1]:get("late")
  local shift = 100 * late_requests / math.max(summary.requests, 1)
  -- wrk answers 0 for the 100th percentile: the largest is latency.max
  local function at(p) if p >= 100 then return latency.max end return latency:percentile(p) end
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.status, e.connect, e.read, e.write, e.timeout, at(50 + shift), at(99 + shift), latency.max, late_requests))
end
`;

export interface WrkSummary extends LoadSummary {
  /** Paced runs: requests that left more than LATE_MS behind their slot (the percentiles already allow for them). */
  late: number;
}

/**
 * POSTs of the next body for `seconds` (bodies wrap around: give more than the run can use, or the extra ones are
 * redeliveries): with `rate`, paced at that many a second over `connections`; without, closed loop, `connections`
 * requests in flight.
 */
export async function wrk(opts: {
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  connections: number;
  seconds: number;
  rate?: number;
}): Promise<WrkSummary> {
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
        ...(opts.rate ? [String(opts.rate)] : []),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const m = text.match(/^RESULT ([\d ]+)$/m);
    if (!out.success || !m) throw new Error(`wrk failed (exit ${out.code}):\n${text}`);
    const [requests, durationUs, status, connect, read, write, timeout, p50, p99, max, late] = m[1].split(" ")
      .map(Number);
    const failures = Object.entries({ "status ≥ 400": status, connect, read, write, timeout });
    const seconds = durationUs / 1e6;
    return {
      ok: requests - status,
      errors: failures.reduce((sum, [, n]) => sum + n, 0),
      errorReasons: failures.filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`),
      okRate: (requests - status) / seconds,
      latency: { p50: p50 / 1000, p99: p99 / 1000, max: max / 1000 },
      seconds,
      late,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
