// The connection indicator's one source: the browser's online flag, the socket's heartbeats and each topic's
// subscription status, folded into connected / reconnecting / offline.
import { useSyncExternalStore } from "react";

export type Connection = "connected" | "reconnecting" | "offline";

interface Signals {
  online: boolean;
  socketUp: boolean;
  /** topic → whether it is subscribed */
  topics: Record<string, boolean>;
}

export function connectionOf({ online, socketUp, topics }: Signals): Connection {
  if (!online) return "offline";
  const joined = Object.values(topics);
  return socketUp && joined.length > 0 && joined.every(Boolean) ? "connected" : "reconnecting";
}

let signals: Signals = { online: typeof navigator === "undefined" ? true : navigator.onLine, socketUp: false, topics: {} };
let state: Connection = connectionOf(signals);
const listeners = new Set<() => void>();

function update(patch: Partial<Signals>) {
  signals = { ...signals, ...patch };
  const next = connectionOf(signals);
  if (next === state) return;
  state = next;
  listeners.forEach((l) => l());
}

/** supabase-js heartbeat callback: a reply means the socket works; anything else means it does not. */
export function reportHeartbeat(status: string) {
  if (status === "ok") update({ socketUp: true });
  else if (status === "disconnected" || status === "timeout" || status === "error") update({ socketUp: false });
}

export function reportTopic(topic: string, subscribed: boolean) {
  // a subscription proves the socket is up, without waiting for the next heartbeat
  update({ topics: { ...signals.topics, [topic]: subscribed }, ...(subscribed ? { socketUp: true } : {}) });
}

export function forgetTopic(topic: string) {
  update({ topics: Object.fromEntries(Object.entries(signals.topics).filter(([t]) => t !== topic)) });
}

export function reportOnline(online: boolean) {
  update({ online });
}

export function currentConnection(): Connection {
  return state;
}

export function onConnectionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useConnection(): Connection {
  return useSyncExternalStore(onConnectionChange, currentConnection);
}
