// Where a benchmark's CPU went, read from /proc: the stack's process (gateway, functions, Realtime), its Postgres
// cluster (the postmaster and every backend), this benchmark process with the load generators it runs (its clients,
// wrk), and the whole machine, so a figure taken while something else ran says so.
import { clusterDir } from "../local/postgres/cluster.ts";
import type { StackConfig } from "../local/config.ts";

export interface CpuSeconds {
  stack: number;
  postgres: number;
  bench: number;
  machine: number;
}

const TICKS_PER_SECOND = 100;

/**
 * /proc/<pid>/stat from its third field on (the command name before it may hold spaces): [1] is the parent,
 * [11] and [12] user and system ticks, [13] and [14] those of its children it has waited for. Null once the process
 * is gone.
 */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/**
 * User + system CPU seconds of one process (0 once it is gone); with `waitedChildren`, also those of the children it
 * has waited for ([13] and [14]), such as a load generator it ran (wrk) or the postmaster's ended backends.
 */
function processSeconds(pid: number, waitedChildren = false): number {
  const fields = statFields(pid);
  const used = waitedChildren ? [11, 12, 13, 14] : [11, 12];
  return fields ? used.reduce((sum, i) => sum + Number(fields[i]), 0) / TICKS_PER_SECOND : 0;
}

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (/^\d+$/.test(entry.name) && Number(statFields(entry.name)?.[1]) === pid) {
      kids.push(Number(entry.name));
    }
  }
  return kids;
}

/** Busy CPU seconds of the whole machine (all cores), from the first line of /proc/stat. */
function machineSeconds(): number {
  // user nice system idle iowait irq softirq steal: all but idle and iowait were busy
  const [user, nice, system, , , irq, softirq, steal] = Deno.readTextFileSync("/proc/stat")
    .split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/**
 * CPU seconds so far. Postgres counts the postmaster's live children and, through the postmaster, those it has
 * reaped: an autovacuum worker or a backend that ends between two readings is counted whole, the part it had used
 * at the first reading once, under Postgres.
 */
export function cpuSeconds(cfg: StackConfig, stackPid: number): CpuSeconds {
  const postmaster = Number(Deno.readTextFileSync(`${clusterDir(cfg)}/postmaster.pid`).split("\n")[0]);
  return {
    stack: processSeconds(stackPid),
    postgres: childrenOf(postmaster).reduce(
      (sum, pid) => sum + processSeconds(pid),
      processSeconds(postmaster, true),
    ),
    bench: processSeconds(Deno.pid, true),
    machine: machineSeconds(),
  };
}

export const cpuBetween = (a: CpuSeconds, b: CpuSeconds): CpuSeconds => ({
  stack: b.stack - a.stack,
  postgres: b.postgres - a.postgres,
  bench: b.bench - a.bench,
  machine: b.machine - a.machine,
});

/** "0.61 · 1.20 · 0.26 ms": stack · Postgres · load generator, per unit of work. */
export const cpuPer = (cpu: CpuSeconds, units: number) =>
  [cpu.stack, cpu.postgres, cpu.bench].map((s) => (s * 1000 / units).toFixed(2)).join(" · ") + " ms";

/** How much of the machine everything else (other processes, the kernel's own threads) used meanwhile. */
export function othersShare(cpu: CpuSeconds, seconds: number): string {
  const others = Math.max(0, cpu.machine - cpu.stack - cpu.postgres - cpu.bench);
  return `others ${Math.round((others / seconds) * 100)} % of ${navigator.hardwareConcurrency} cores`;
}
