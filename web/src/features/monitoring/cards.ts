// The arithmetic behind the cards: how each figure reads, whether its movement is good news, the sparkline's
// geometry and durations as a person reads them. Pure, so it is tested apart from React.
import type { Card, ChannelHealth, QueueCardName } from "./types";

export type FigureFormat = "count" | "duration" | "perMinute" | "percent";

export interface CardSpec {
  name: QueueCardName;
  format: FigureFormat;
  /** Processing faster is good news; every other queue figure going up is bad news. */
  higherIsBetter: boolean;
  /** Minutes between `value` and `previous` (the server's windows). */
  window: number;
}

export const queueCardSpecs: CardSpec[] = [
  { name: "waiting", format: "count", higherIsBetter: false, window: 5 },
  { name: "oldest_waiting_seconds", format: "duration", higherIsBetter: false, window: 5 },
  { name: "processing_rate_per_minute", format: "perMinute", higherIsBetter: true, window: 5 },
  { name: "error_rate_5m", format: "percent", higherIsBetter: false, window: 5 },
  { name: "error_rate_60m", format: "percent", higherIsBetter: false, window: 60 },
  { name: "retries_scheduled", format: "count", higherIsBetter: false, window: 5 },
  { name: "dead_letters", format: "count", higherIsBetter: false, window: 5 },
];

export type TrendTone = "good" | "bad" | "neutral";

export function trendTone(card: Pick<Card, "trend">, higherIsBetter: boolean): TrendTone {
  if (card.trend === "flat") return "neutral";
  return (card.trend === "up") === higherIsBetter ? "good" : "bad";
}

/** The change against the previous window, or null when there is nothing to compare with. */
export function trendDelta(card: Pick<Card, "value" | "previous">): number | null {
  if (card.value === null || card.previous === null) return null;
  return Math.round((card.value - card.previous) * 10) / 10;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, fractionDigits: number): Intl.NumberFormat {
  const key = `${locale}|${fractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits });
    numberFormats.set(key, format);
  }
  return format;
}

/** "45 s", "3 min 20 s", "1 h 5 min", "2 d 3 h": two units at most, the larger first. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const units: [string, number][] = [["d", 86_400], ["h", 3_600], ["min", 60], ["s", 1]];
  const first = units.findIndex(([, size]) => s >= size);
  const [bigUnit, bigSize] = units[first];
  const [smallUnit, smallSize] = units[first + 1];
  const big = Math.floor(s / bigSize);
  const small = Math.floor((s % bigSize) / smallSize);
  return small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
}

export function formatFigure(value: number | null | undefined, format: FigureFormat, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  switch (format) {
    case "count":
      return numberFormat(locale, 0).format(value);
    case "duration":
      return formatDuration(value);
    case "perMinute":
      return `${numberFormat(locale, 1).format(value)}/min`;
    case "percent":
      return `${numberFormat(locale, 1).format(value)}%`;
  }
}

/** A signed change in the card's own unit: "+3", "−1,5%", "+2 min". */
export function formatDelta(delta: number, format: FigureFormat, locale: string): string {
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  return `${sign}${formatFigure(Math.abs(delta), format, locale)}`;
}

/**
 * The sparkline as SVG polyline points inside width × height, with `pad` pixels kept clear at top and bottom.
 * The scale starts at zero (a queue of 3 must not look like a queue of 300); an all-zero series lies flat on
 * the bottom. Fewer than two points draw a level line.
 */
export function sparklinePoints(series: readonly number[], width: number, height: number, pad = 2): string {
  const values = series.map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
  if (!values.length) return "";
  if (values.length === 1) values.push(values[0]);
  const max = Math.max(...values);
  const step = width / (values.length - 1);
  const usable = height - 2 * pad;
  const round = (n: number) => Math.round(n * 10) / 10;
  return values
    .map((v, i) => `${round(i * step)},${round(height - pad - (max > 0 ? (v / max) * usable : 0))}`)
    .join(" ");
}

/** The same line closed along the bottom edge, for the shaded area under it. */
export function sparklineArea(points: string, width: number, height: number): string {
  return points ? `0,${height} ${points} ${width},${height}` : "";
}

export type ChannelState = "open" | "connecting" | "close" | "active" | "unknown";

/** How recent a webhook must be for a number that reports no connection state to count as receiving. */
const RECEIVING_WITHIN_MS = 24 * 3_600_000;

/**
 * Evolution reports its connection (connection.update); the Cloud API has no such event, so a Cloud number (or an
 * Evolution one that never reported) counts as receiving while webhooks reach us, as the server's level does.
 * Webhook errors colour the channel's level, not this word.
 */
export function channelState(channel: Pick<ChannelHealth, "status" | "last_webhook_at">, now: number): ChannelState {
  if (channel.status === "open" || channel.status === "connecting" || channel.status === "close") return channel.status;
  const last = channel.last_webhook_at ? new Date(channel.last_webhook_at).getTime() : null;
  return last !== null && now - last < RECEIVING_WITHIN_MS ? "active" : "unknown";
}

/** Seconds from an instant to now, or null for "never". */
export function secondsSince(instant: string | null, now: number): number | null {
  return instant ? Math.max(0, (now - new Date(instant).getTime()) / 1000) : null;
}
