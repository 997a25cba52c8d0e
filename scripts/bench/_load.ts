// Load generators. Open loop: request i is fired at its scheduled moment whether or not earlier ones have been
// answered, as providers deliver webhooks, so a slow server cannot slow the offered rate down. Closed loop: a fixed
// number of requests in flight, each fired when the previous one is answered: the most the server will take.
import { type Latency, sleep } from "./_figures.ts";

/** One request; throws (with a short reason) unless it got the answer it wanted. */
export type Fire = (i: number) => Promise<void>;

export interface LoadResult {
  issued: number;
  ok: number;
  errors: number;
  /** A few distinct error reasons. */
  errorReasons: string[];
  /** Latency of each successful request, from the moment it was fired to its full answer. */
  latencies: number[];
  /** Requests fired per second, over the firing window. */
  issuedRate: number;
  /** Successful answers per second, from the first request fired to the last answer. */
  okRate: number;
  /** Performance-clock time of the first request. */
  startedAt: number;
}

/** What a load run answered, whichever generator drove it (this module's loops, or wrk). */
export interface LoadSummary {
  /** Requests answered as wanted (for wrk: any status below 400, all it tells apart). */
  ok: number;
  /** Other answers, and requests that failed or timed out. */
  errors: number;
  errorReasons: string[];
  okRate: number;
  latency: Latency;
  /** From the first request to the last answer. */
  seconds: number;
}

function recorder() {
  const latencies: number[] = [];
  const reasons = new Set<string>();
  let errors = 0;
  let lastDone = 0;
  const timed = async (fire: Fire, i: number) => {
    const t = performance.now();
    try {
      await fire(i);
      latencies.push(performance.now() - t);
    } catch (e) {
      errors++;
      if (reasons.size < 5) reasons.add(e instanceof Error ? e.message : String(e));
    }
    lastDone = Math.max(lastDone, performance.now());
  };
  const result = (issued: number, startedAt: number, lastIssued: number): LoadResult => ({
    issued,
    ok: latencies.length,
    errors,
    errorReasons: [...reasons],
    latencies,
    issuedRate: issued / (Math.max(lastIssued - startedAt, 1) / 1000),
    okRate: latencies.length / (Math.max(lastDone - startedAt, 1) / 1000),
    startedAt,
  });
  return { timed, result };
}

export async function openLoop(rate: number, seconds: number, fire: Fire): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const { timed, result } = recorder();
  const inFlight: Promise<void>[] = [];
  const startedAt = performance.now();
  let i = 0;
  while (i < total) {
    // Timers are coarse: fire everything that has come due since the last tick.
    const now = performance.now();
    while (i < total && startedAt + (i * 1000) / rate <= now) inFlight.push(timed(fire, i++));
    if (i < total) await sleep(Math.max(0, startedAt + (i * 1000) / rate - performance.now()));
  }
  const lastIssued = performance.now();
  await Promise.all(inFlight);
  return result(total, startedAt, lastIssued);
}

export async function closedLoop(concurrency: number, seconds: number, fire: Fire): Promise<LoadResult> {
  const { timed, result } = recorder();
  const startedAt = performance.now();
  const end = startedAt + seconds * 1000;
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) await timed(fire, i++);
  }));
  return result(i, startedAt, performance.now());
}

/** Providers give up on a webhook after about this long; so does the benchmark, counting it as an error. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A fetch that counts only the wanted status as success, and always reads the answer to its end. */
export async function expectStatus(
  wanted: number,
  url: string,
  init: RequestInit,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<string> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }).catch((e) => {
    throw new Error(e?.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : String(e));
  });
  const text = await res.text();
  if (res.status !== wanted) throw new Error(`${res.status} ${text.slice(0, 120)}`);
  return text;
}
