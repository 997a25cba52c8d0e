// Waiting in tests: every wait has a deadline and says what did not happen.

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as T;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}`,
  );
}

/** Resolves with the first value an event source hands to `resolve`, or fails after the deadline. */
export function eventually<T>(
  what: string,
  subscribe: (resolve: (value: T) => void) => void | (() => void),
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const cleanup: (() => void)[] = [];
    const timer = setTimeout(() => {
      settled = true;
      cleanup.forEach((f) => f());
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe((value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup.forEach((f) => f());
      resolve(value);
    });
    if (unsubscribe) cleanup.push(unsubscribe);
    if (settled && unsubscribe) unsubscribe();
  });
}
