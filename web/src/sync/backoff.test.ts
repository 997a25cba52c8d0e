import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("reconnecting", () => {
  it("waits twice as long after each failed attempt, up to 30 s", () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, top))).toEqual(
      [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000],
    );
  });
  it("spreads consoles over the second half of each delay", () => {
    expect(backoffDelay(3, () => 0)).toBe(2_000);
    expect(backoffDelay(3, () => 0.5)).toBe(3_000);
  });
});
