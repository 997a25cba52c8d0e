// How the benchmarks summarise and print what they measured: percentiles, a compact table per bench, each figure
// beside its baseline from the same run as a ratio, and one closing line per target.

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export const latencyOf = (values: number[]): Latency => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  max: percentile(values, 100),
});

export const ms = (v: number) => Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)} ms` : "—";
export const perSecond = (n: number) =>
  Number.isFinite(n) ? `${Math.round(n).toLocaleString("en-US")}/s` : "—";
export const ratio = (ours: number, base: number) =>
  Number.isFinite(ours) && Number.isFinite(base) && base > 0 ? `${Math.round((ours / base) * 100)} %` : "—";

/** Prints rows as aligned columns under a title; the first row is the header. */
export function printTable(title: string, rows: string[][]) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  console.log(`\n${title}`);
  rows.forEach((r, i) => {
    console.log(
      "  " + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "),
    );
    if (i === 0) console.log("  " + widths.map((w) => "─".repeat(w)).join("  "));
  });
}

export interface Target {
  name: string;
  figure: string;
  target: string;
  /** null: not measured (the reason goes in `figure`). */
  met: boolean | null;
}

export function printTargets(targets: Target[]) {
  printTable("Targets", [
    ["target", "measured", "goal", ""],
    ...targets.map((
      t,
    ) => [t.name, t.figure, t.target, t.met === null ? "not measured" : t.met ? "met" : "NOT MET"]),
  ]);
}

export const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** Polls `check` until it answers true or the deadline passes; answers whether it did. */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return false;
}
