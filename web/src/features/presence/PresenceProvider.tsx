// Who of the team is online, through `presence:<tenant>`. Each tab tracks { user_id, name, status, since } under the
// agent's user id, so several tabs are one person; the status the agent picks is shared by their tabs through
// localStorage and re-tracked in each.
import type { RealtimeChannel } from "@supabase/supabase-js";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";
import { supabase } from "../../lib/supabase";
import { forgetTopic, reportTopic } from "../../realtime/connection";
import { groupPresence, type PresenceMeta, type PresenceStatus, type PresentMember } from "../../sync/presence";

interface Presence {
  people: Map<string, PresentMember>;
  myStatus: PresenceStatus;
  setMyStatus: (status: PresenceStatus) => void;
}

const PresenceContext = createContext<Presence | null>(null);
const statuses: PresenceStatus[] = ["online", "away", "busy"];

function savedStatus(key: string): PresenceStatus {
  const saved = localStorage.getItem(key) as PresenceStatus | null;
  return saved && statuses.includes(saved) ? saved : "online";
}

export function PresenceProvider(
  { tenantId, userId, name, children }: { tenantId: string; userId: string; name: string; children: ReactNode },
) {
  const storageKey = `atende.presence.${userId}`;
  const [myStatus, setStatus] = useState<PresenceStatus>(() => savedStatus(storageKey));
  const [people, setPeople] = useState<Map<string, PresentMember>>(new Map());
  const channelRef = useRef<RealtimeChannel | null>(null);
  const statusRef = useRef(myStatus);

  useEffect(() => {
    const channel = supabase().channel(`presence:${tenantId}`, {
      config: { private: true, presence: { key: userId } },
    });
    channelRef.current = channel;
    channel.on("presence", { event: "sync" }, () => {
      setPeople(groupPresence(channel.presenceState<PresenceMeta>() as Record<string, PresenceMeta[]>));
    });
    let left = false;
    channel.subscribe((status) => {
      if (left) return;
      const up = status === "SUBSCRIBED";
      reportTopic(channel.subTopic, up);
      if (up) void channel.track({ user_id: userId, name, status: statusRef.current, since: Date.now() });
    });
    return () => {
      left = true;
      channelRef.current = null;
      forgetTopic(channel.subTopic);
      void supabase().removeChannel(channel);
    };
  }, [tenantId, userId, name]);

  const apply = useCallback((status: PresenceStatus) => {
    statusRef.current = status;
    setStatus(status);
    void channelRef.current?.track({ user_id: userId, name, status, since: Date.now() });
  }, [userId, name]);

  // the agent's other tabs follow the status picked here
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === storageKey) apply(savedStatus(storageKey));
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [storageKey, apply]);

  const setMyStatus = useCallback((status: PresenceStatus) => {
    localStorage.setItem(storageKey, status);
    apply(status);
  }, [storageKey, apply]);

  return <PresenceContext.Provider value={{ people, myStatus, setMyStatus }}>{children}</PresenceContext.Provider>;
}

export function usePresence(): Presence {
  const presence = useContext(PresenceContext);
  if (!presence) throw new Error("usePresence needs a PresenceProvider");
  return presence;
}
