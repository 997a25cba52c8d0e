// The tab's outbox and its sender, shared by every reply box; sending resumes when the browser is back online
// and when the realtime connection comes back.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { onConnectionChange, currentConnection } from "../../realtime/connection";
import { OutboxSender } from "./sender";
import { OutboxStore } from "./outbox-store";

interface Outbox {
  store: OutboxStore;
  sender: OutboxSender;
}

const OutboxContext = createContext<Outbox | null>(null);

export function OutboxProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [outbox] = useState<Outbox>(() => {
    const store = new OutboxStore(`atende.outbox.${userId}`);
    return { store, sender: new OutboxSender(store, queryClient) };
  });
  useEffect(() => {
    const { sender, store } = outbox;
    sender.kick();
    const online = () => sender.kick();
    window.addEventListener("online", online);
    const off = onConnectionChange(() => currentConnection() === "connected" && sender.kick());
    // closing the tab would lose what has not gone out yet
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (store.get().some((i) => i.state !== "refused")) event.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("beforeunload", beforeUnload);
      off();
      sender.stop();
    };
  }, [outbox]);
  return <OutboxContext.Provider value={outbox}>{children}</OutboxContext.Provider>;
}

export function useOutbox(): Outbox {
  const outbox = useContext(OutboxContext);
  if (!outbox) throw new Error("useOutbox needs an OutboxProvider");
  return outbox;
}
