// Group commit for callers that each write a few rows: calls that arrive while earlier ones are being written share
// the next write, so under load one statement (one transaction, one commit) carries many callers' rows, and each
// caller still hears back only once its own rows are stored. A lone call is written at once: no timer, no added
// delay when it is quiet.

/** Writes items and answers one result per item, in the given order. */
export type BatchWrite<T, R> = (items: T[]) => Promise<R[]>;

export interface CoalesceOptions {
  /** Writes running at once; calls arriving beyond that wait and share the next one. */
  maxInFlight: number;
  /** Items per write, so one statement stays short (a single call larger than this is written alone). */
  maxItems: number;
}

interface Waiting<T, R> {
  items: T[];
  resolve(results: R[]): void;
  reject(error: unknown): void;
}

export function coalesce<T, R>(writeItems: BatchWrite<T, R>, opts: CoalesceOptions): BatchWrite<T, R> {
  const queue: Waiting<T, R>[] = [];
  let inFlight = 0;
  // A write that throws before it returns a promise fails like one that rejects: every waiter hears back.
  const write = (items: T[]) => {
    try {
      return writeItems(items);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const run = async (batch: Waiting<T, R>[]) => {
    try {
      const results = await write(batch.flatMap((w) => w.items));
      let at = 0;
      for (const w of batch) {
        w.resolve(results.slice(at, at + w.items.length));
        at += w.items.length;
      }
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One caller's bad row must not fail its neighbours: each is written again on its own.
      await Promise.all(batch.map((w) => write(w.items).then(w.resolve, w.reject)));
    }
  };

  const pump = () => {
    while (inFlight < opts.maxInFlight && queue.length) {
      const batch = [queue.shift()!];
      let size = batch[0].items.length;
      while (queue.length && size + queue[0].items.length <= opts.maxItems) {
        size += queue[0].items.length;
        batch.push(queue.shift()!);
      }
      inFlight++;
      run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (items) =>
    new Promise<R[]>((resolve, reject) => {
      queue.push({ items, resolve, reject });
      pump();
    });
}
