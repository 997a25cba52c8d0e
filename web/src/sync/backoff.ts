// Reconnect delays: exponential from 1 s, capped at 30 s, with jitter so a stack restart is not met by every
// console reconnecting in the same instant.
export function backoffDelay(attempt: number, random: () => number = Math.random, { base = 1_000, max = 30_000 } = {}) {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
