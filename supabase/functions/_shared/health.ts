// /health's checks, from one query: the database answers, the queue is not lagging, the processor has run
// recently, the pg_cron job that is its safety net is active, and processing is not paused. Thresholds come from
// the environment.
import type { Sql } from "./db.ts";
import { logError } from "./log.ts";

const seconds = (name: string, fallback: number) => Number(Deno.env.get(name) ?? fallback);

/** An unreachable database must fail the check before an uptime checker's own timeout does. */
const DATABASE_TIMEOUT_MS = 5_000;

export interface HealthReport {
  ok: boolean;
  failing: string[];
  checks: Record<string, { ok: boolean } & Record<string, unknown>>;
}

interface HealthFigures {
  queue_lag_seconds: number;
  processor_last_run_at: string | null;
  processor_age_seconds: number | null;
  cron_job_active: boolean;
  /** Set while an operator holds processing back (app.queue_settings.paused_until). */
  paused_until: string | null;
}

export async function checkHealth(sql: Sql): Promise<HealthReport> {
  const processorMax = seconds("ATENDE_HEALTH_PROCESSOR_MAX_AGE_SECONDS", 180);
  const lagMax = seconds("ATENDE_HEALTH_QUEUE_MAX_LAG_SECONDS", 300);
  let figures: HealthFigures;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    [{ figures }] = await Promise.race([
      sql<{ figures: HealthFigures }[]>`select app.health() as figures`,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("the database did not answer in time")),
          DATABASE_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (e) {
    logError({ fn: "health" }, e);
    return { ok: false, failing: ["database"], checks: { database: { ok: false } } };
  } finally {
    clearTimeout(timer);
  }
  const lag = Number(figures.queue_lag_seconds);
  const age = figures.processor_age_seconds === null ? null : Number(figures.processor_age_seconds);
  const checks = {
    database: { ok: true },
    queue_lag: { ok: lag <= lagMax, seconds: lag, threshold_seconds: lagMax },
    processor: {
      ok: age !== null && age <= processorMax,
      last_run_at: figures.processor_last_run_at,
      age_seconds: age,
      threshold_seconds: processorMax,
    },
    cron: { ok: figures.cron_job_active, job: "atende-queue-processor" },
    // Paused on purpose is still not delivering: an uptime checker should say so.
    paused: { ok: figures.paused_until === null, until: figures.paused_until },
  };
  const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
  return { ok: failing.length === 0, failing, checks };
}
