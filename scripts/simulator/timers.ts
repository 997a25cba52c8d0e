// Every timer and held-back answer of the simulator goes through here, so stop() leaves nothing running.

export class Timers {
  readonly #pending = new Set<ReturnType<typeof setTimeout>>();
  readonly #stop = new AbortController();

  /** Aborted when the simulator stops. */
  get signal(): AbortSignal {
    return this.#stop.signal;
  }

  later(ms: number, fn: () => void): void {
    if (this.signal.aborted) return;
    const id = setTimeout(() => {
      this.#pending.delete(id);
      fn();
    }, ms);
    this.#pending.add(id);
  }

  /** Resolves after `ms`, or early (with false) when the simulator stops. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.signal.aborted) return resolve(false);
      const onStop = () => resolve(false);
      this.signal.addEventListener("abort", onStop, { once: true });
      this.later(ms, () => {
        this.signal.removeEventListener("abort", onStop);
        resolve(true);
      });
    });
  }

  /** Resolves only when the simulator stops: an answer that never comes. */
  untilStopped(): Promise<void> {
    return new Promise((resolve) => {
      if (this.signal.aborted) resolve();
      else this.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }

  stop(): void {
    this.#stop.abort();
    for (const id of this.#pending) clearTimeout(id);
    this.#pending.clear();
  }
}
