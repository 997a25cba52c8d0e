// The outbox of this tab: kept in sessionStorage so a reload loses nothing typed, and observed by React.
// (Per tab, not per browser: two tabs sharing one queue would race over who sends what.)
import { useSyncExternalStore } from "react";
import { type OutboxItem, restore } from "../../sync/outbox";

export class OutboxStore {
  private items: OutboxItem[];
  private listeners = new Set<() => void>();

  constructor(private storageKey: string) {
    let saved: OutboxItem[] = [];
    try {
      saved = JSON.parse(sessionStorage.getItem(storageKey) ?? "[]") as OutboxItem[];
    } catch {
      // an unreadable saved outbox is dropped rather than blocking the console
    }
    this.items = restore(saved);
  }

  get = () => this.items;

  update(change: (items: OutboxItem[]) => OutboxItem[]) {
    const next = change(this.items);
    if (next === this.items) return;
    this.items = next;
    sessionStorage.setItem(this.storageKey, JSON.stringify(next));
    this.listeners.forEach((l) => l());
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export function useOutboxItems(store: OutboxStore): OutboxItem[] {
  return useSyncExternalStore(store.subscribe, store.get);
}
