// Limits and timeouts of the Realtime endpoint. Defaults are Supabase Realtime's (runtime.exs, tenant defaults)
// where it has one; the environment can override those a test or benchmark needs to change.

export interface RealtimeSettings {
  /** A socket that sends nothing for this long is dropped, as Phoenix's 60 s websocket timeout does. */
  idleTimeoutMs: number;
  /** Frames per second one socket may send (heartbeats aside) before its channels are shut down. */
  maxEventsPerSecond: number;
  maxChannelsPerSocket: number;
  /** Phoenix endpoint's max_frame_size. */
  maxFrameBytes: number;
  /** Tenant default max_payload_size_in_kb (3000). */
  maxPayloadBytes: number;
  /** Client presence rate limit: so many track/untrack calls per window and channel. */
  presenceCallsPerWindow: number;
  presenceWindowMs: number;
  /** A socket that does not read what it is sent is dropped once this much is queued for it. */
  maxBufferedBytes: number;
  /** realtime.messages rows older than this are deleted (Supabase drops partitions after 72 h). */
  retentionHours: number;
  pruneEveryMs: number;
}

const int = (name: string, fallback: number) => {
  const value = Number(Deno.env.get(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

export function loadSettings(): RealtimeSettings {
  return {
    idleTimeoutMs: int("ATENDE_REALTIME_IDLE_TIMEOUT_MS", 60_000),
    maxEventsPerSecond: int("ATENDE_REALTIME_MAX_EVENTS_PER_SECOND", 100),
    maxChannelsPerSocket: 100,
    maxFrameBytes: 5 * 1024 * 1024,
    maxPayloadBytes: 3000 * 1000,
    presenceCallsPerWindow: 5,
    presenceWindowMs: 30_000,
    maxBufferedBytes: 16 * 1024 * 1024,
    retentionHours: 72,
    pruneEveryMs: int("ATENDE_REALTIME_PRUNE_INTERVAL_MS", 60 * 60 * 1000),
  };
}
