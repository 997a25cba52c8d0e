// The phx_join payload, read leniently as Realtime does (lib/realtime_web/channels/payloads/*.ex): booleans may
// be strings, a field that does not parse keeps its default, an empty presence key gets a generated one.
import { isMap } from "./protocol.ts";

export interface JoinConfig {
  ack: boolean;
  self: boolean;
  private: boolean;
  presenceEnabled: boolean;
  presenceKey: string;
  replicationReady: boolean;
  /** The `broadcast.replay` value as sent; only private channels may replay. */
  replay: unknown;
  postgresChanges: unknown[];
  /** The user's JWT, or null to use the socket's connect-time token. */
  accessToken: string | null;
}

type Obj = Record<string, unknown>;
const objAt = (o: Obj, key: string): Obj => (isMap(o[key]) ? o[key] : {});

export function flexibleBoolean(v: unknown, fallback = false): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return fallback;
}

/** Join tokens starting with `sb_` are API keys, not user tokens: the socket's token is used instead. */
export function userToken(v: unknown): string | null {
  return typeof v === "string" && !v.startsWith("sb_") ? v : null;
}

export function parseJoin(payload: unknown): JoinConfig {
  const params = isMap(payload) ? payload : {};
  const config = objAt(params, "config");
  const broadcast = objAt(config, "broadcast");
  const presence = objAt(config, "presence");
  const key = presence.key;
  const changes = Array.isArray(config.postgres_changes)
    ? config.postgres_changes.filter((c) => c != null)
    : [];
  return {
    ack: flexibleBoolean(broadcast.ack),
    self: flexibleBoolean(broadcast.self),
    private: flexibleBoolean(config.private),
    presenceEnabled: flexibleBoolean(presence.enabled),
    presenceKey: key === undefined || key === null || key === "" ? crypto.randomUUID() : String(key),
    replicationReady: flexibleBoolean(broadcast.replication_ready),
    replay: broadcast.replay,
    postgresChanges: changes,
    accessToken: userToken(params.access_token ?? params.user_token),
  };
}
