// Wakes the queue processor right after an ingestion, so an event does not wait for the next cron tick.
// One kick in flight per isolate: a burst of webhooks needs one processor run, not one each. While processing is
// paused a run claims nothing, so kicks are held back for a few seconds at a time rather than repeated back to back;
// what arrives meanwhile is owed one kick when the hold ends, so a pause lifted early is noticed within seconds.
import { logError } from "./log.ts";

/** The longest a reported pause holds kicks back before the processor is asked again. */
const PAUSE_RECHECK_MS = 5_000;

let inFlight: Promise<void> | null = null;
let again = false;
let heldUntil = 0;
/** The one kick owed for what arrived while kicks were held back, made when the hold ends. */
let owed: Promise<void> | null = null;

export function kickProcessor(): Promise<void> {
  const hold = heldUntil - Date.now();
  if (hold > 0) {
    owed ??= new Promise((resolve) => setTimeout(resolve, hold)).then(() => {
      owed = null;
      return kickProcessor();
    });
    return owed;
  }
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
        const answer = await res.json().catch(() => null) as { paused_until?: string | null } | null;
        if (answer?.paused_until) {
          heldUntil = Math.min(Date.parse(answer.paused_until), Date.now() + PAUSE_RECHECK_MS);
          again = false;
        }
      } catch (e) {
        logError({ fn: "kick" }, e);
      }
    } while (again);
  })().finally(() => inFlight = null);
  return inFlight;
}

declare const EdgeRuntime: { waitUntil(p: Promise<unknown>): void } | undefined;

/** The kick the runtime was last asked to wait for: a burst's webhooks share one, so it is handed over once. */
let awaited: Promise<void> | null = null;

/** Kicks after the response is sent, where the runtime allows background work. */
export function kickAfterResponse(): void {
  const p = kickProcessor();
  if (p === awaited || typeof EdgeRuntime === "undefined") return;
  awaited = p;
  EdgeRuntime.waitUntil(p);
}
