// Wakes the queue processor right after an ingestion, so an event does not wait for the next cron tick.
// One kick in flight per isolate: a burst of webhooks needs one processor run, not one each.
import { logError } from "./log.ts";

let inFlight: Promise<void> | null = null;
let again = false;

export function kickProcessor(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    do {
      again = false;
      const url = `${Deno.env.get("SUPABASE_URL")}/functions/v1/queue-processor`;
      const key = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? "";
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ reason: "kick" }),
        });
        await res.body?.cancel();
      } catch (e) {
        logError({ fn: "kick" }, e);
      }
    } while (again);
  })().finally(() => inFlight = null);
  return inFlight;
}

declare const EdgeRuntime: { waitUntil(p: Promise<unknown>): void } | undefined;

/** Kicks after the response is sent, where the runtime allows background work. */
export function kickAfterResponse(): void {
  const p = kickProcessor();
  if (typeof EdgeRuntime !== "undefined") EdgeRuntime.waitUntil(p);
}
