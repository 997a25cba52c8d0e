import { describe, expect, it } from "vitest";
import {
  channelState,
  formatDelta,
  formatDuration,
  formatFigure,
  secondsSince,
  sparklineArea,
  sparklinePoints,
  trendDelta,
  trendTone,
} from "./cards";

describe("a queue card's trend", () => {
  it("is bad news when errors or waiting rise, good news when processing speeds up", () => {
    expect(trendTone({ trend: "up" }, false)).toBe("bad");
    expect(trendTone({ trend: "down" }, false)).toBe("good");
    expect(trendTone({ trend: "up" }, true)).toBe("good");
    expect(trendTone({ trend: "down" }, true)).toBe("bad");
    expect(trendTone({ trend: "flat" }, true)).toBe("neutral");
  });

  it("shows the change against the previous window, and nothing without one", () => {
    expect(trendDelta({ value: 12.5, previous: 10 })).toBe(2.5);
    expect(trendDelta({ value: 0.3, previous: 0.1 })).toBe(0.2);
    expect(trendDelta({ value: 4, previous: null })).toBeNull();
    expect(formatDelta(2.5, "percent", "pt-BR")).toBe("+2,5%");
    expect(formatDelta(-3, "count", "en")).toBe("−3");
    expect(formatDelta(0, "count", "en")).toBe("±0");
  });
});

describe("figures as a manager reads them", () => {
  it("formats counts, rates, percentages and durations in the console's language", () => {
    expect(formatFigure(1234, "count", "pt-BR")).toBe("1.234");
    expect(formatFigure(1234, "count", "en")).toBe("1,234");
    expect(formatFigure(16.04, "perMinute", "pt-BR")).toBe("16/min");
    expect(formatFigure(2.25, "perMinute", "en")).toBe("2.3/min");
    expect(formatFigure(3.6, "percent", "pt-BR")).toBe("3,6%");
    expect(formatFigure(null, "count", "en")).toBe("—");
  });

  it("says a duration with at most two units", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(60)).toBe("1 min");
    expect(formatDuration(200)).toBe("3 min 20 s");
    expect(formatDuration(3_900)).toBe("1 h 5 min");
    expect(formatDuration(2 * 86_400 + 3 * 3_600 + 59)).toBe("2 d 3 h");
    expect(formatDuration(-5)).toBe("0 s");
  });

  it("counts the seconds since an instant, and none for never", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(secondsSince("2026-11-24T11:58:30Z", now)).toBe(90);
    expect(secondsSince(null, now)).toBeNull();
  });
});

describe("the sparkline", () => {
  it("spans the width and scales from zero to the busiest minute", () => {
    expect(sparklinePoints([0, 5, 10], 100, 24, 2)).toBe("0,22 50,12 100,2");
  });

  it("lies flat on the bottom when nothing happened, and levels a single point", () => {
    expect(sparklinePoints([0, 0, 0, 0], 30, 20, 2)).toBe("0,18 10,18 20,18 30,18");
    expect(sparklinePoints([7], 40, 20, 0)).toBe("0,0 40,0");
    expect(sparklinePoints([], 40, 20)).toBe("");
  });

  it("treats gaps and negatives as zero", () => {
    expect(sparklinePoints([Number.NaN, -3, 4], 20, 10, 0)).toBe("0,10 10,10 20,0");
  });

  it("closes the area along the bottom edge", () => {
    expect(sparklineArea("0,5 10,2", 10, 8)).toBe("0,8 0,5 10,2 10,8");
    expect(sparklineArea("", 10, 8)).toBe("");
  });
});

describe("a channel's connection", () => {
  it("is Evolution's reported state, or receiving while a number's webhooks arrive", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    const recent = "2026-11-24T11:59:00Z";
    expect(channelState({ status: "close", last_webhook_at: recent }, now)).toBe("close");
    expect(channelState({ status: "open", last_webhook_at: null }, now)).toBe("open");
    expect(channelState({ status: "unknown", last_webhook_at: recent }, now)).toBe("active");
    expect(channelState({ status: "unknown", last_webhook_at: "2026-11-22T11:59:00Z" }, now)).toBe("unknown");
    expect(channelState({ status: null, last_webhook_at: null }, now)).toBe("unknown");
  });
});
