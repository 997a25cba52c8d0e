// The managers' monitoring: the cards' figures (GET ops/stats) and the dead letters (GET ops/dead-letters), with
// the retry and discard commands. Figures reach the page by a short poll (the counters move every minute and the
// queue every second; one call reads per-minute counters, never history, so it stays cheap with millions of
// processed rows), and at once through Realtime when a dead letter appears or is handled (realtime/actions.ts).
import { infiniteQueryOptions, type QueryClient, queryOptions } from "@tanstack/react-query";
import { isRetryable, toAppError } from "../../lib/errors";
import { callFunction } from "../../lib/functions";
import { type Cursor, type DeadLetterFilter, deadLettersPath, nextCursor } from "./dead-letters";
import type { DeadLetter, TenantStats } from "./types";

export const monitoringKeys = {
  all: (tenantId: string) => ["monitoring", tenantId] as const,
  stats: (tenantId: string) => [...monitoringKeys.all(tenantId), "stats"] as const,
  deadLetters: (tenantId: string) => [...monitoringKeys.all(tenantId), "dead-letters"] as const,
  deadLetterList: (tenantId: string, filter: DeadLetterFilter) => [...monitoringKeys.deadLetters(tenantId), filter] as const,
};

export const STATS_POLL_MS = 5_000;

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export const statsQuery = (tenantId: string) =>
  queryOptions({
    queryKey: monitoringKeys.stats(tenantId),
    queryFn: () =>
      callFunction<TenantStats>(
        `ops/stats?${new URLSearchParams({ tenant_id: tenantId, time_zone: timeZone() })}`,
        { method: "GET" },
      ),
    refetchInterval: STATS_POLL_MS,
    // a refusal (not allowed, bad time zone) will not change by asking again
    retry: (count, error) => count < 2 && isRetryable(toAppError(error)),
  });

export const deadLettersQuery = (tenantId: string, filter: DeadLetterFilter) =>
  infiniteQueryOptions({
    queryKey: monitoringKeys.deadLetterList(tenantId, filter),
    queryFn: ({ pageParam }) =>
      callFunction<{ dead_letters: DeadLetter[] }>(deadLettersPath(tenantId, filter, pageParam), { method: "GET" })
        .then((answer) => answer.dead_letters),
    initialPageParam: null as Cursor | null,
    getNextPageParam: (last) => nextCursor(last),
    // a safety net under the Realtime invalidations
    refetchInterval: 30_000,
  });

/** Many events may come in a burst: a fetch already running is not restarted for each of them. */
export function refreshMonitoring(queryClient: QueryClient, tenantId: string) {
  return queryClient.invalidateQueries({ queryKey: monitoringKeys.all(tenantId) }, { cancelRefetch: false });
}

export async function retryDeadLetters(queryClient: QueryClient, tenantId: string, ids: number[]): Promise<number> {
  const { retried } = await callFunction<{ retried: number }>("ops/dead-letters/retry", { body: { tenant_id: tenantId, ids } });
  await refreshMonitoring(queryClient, tenantId);
  return retried;
}

export async function discardDeadLetters(
  queryClient: QueryClient,
  tenantId: string,
  ids: number[],
  reason: string,
): Promise<number> {
  const { discarded } = await callFunction<{ discarded: number }>("ops/dead-letters/discard", {
    body: { tenant_id: tenantId, ids, reason },
  });
  await refreshMonitoring(queryClient, tenantId);
  return discarded;
}
