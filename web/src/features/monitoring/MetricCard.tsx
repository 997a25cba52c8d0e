import type { ReactNode } from "react";
import { useI18n } from "../../lib/i18n";
import { type FigureFormat, formatDelta, formatFigure, trendDelta, trendTone } from "./cards";
import { Sparkline } from "./Sparkline";
import type { Card } from "./types";

export interface MetricCardProps {
  id: string;
  title: string;
  hint?: string;
  card: Card;
  format: FigureFormat;
  higherIsBetter?: boolean;
  /** Minutes between the value and the previous one; without it no trend is shown. */
  window?: number;
  children?: ReactNode;
}

const arrows = { up: "▲", down: "▼", flat: "■" };

/** A figure, its level (amber, red), its trend against the previous window and its last hour. */
export function MetricCard({ id, title, hint, card, format, higherIsBetter = false, window, children }: MetricCardProps) {
  const { t, locale } = useI18n();
  const delta = trendDelta(card);
  const series = card.series ?? [];
  const titleId = `metric-${id}`;
  return (
    <article className={`metric level-${card.level}`} aria-labelledby={titleId}>
      <header className="metric-head">
        <h3 id={titleId}>{title}</h3>
        {card.level !== "ok" && <span className={`level-badge ${card.level}`}>{t(`monitoring.level.${card.level}`)}</span>}
      </header>
      <p className="metric-value">{formatFigure(card.value, format, locale)}</p>
      {window !== undefined && delta !== null && (
        <p className={`metric-trend ${trendTone(card, higherIsBetter)}`}>
          <span aria-hidden="true">{arrows[card.trend]}</span>{" "}
          {card.trend === "flat"
            ? t("monitoring.trendFlat", { window })
            : t("monitoring.trend", { delta: formatDelta(delta, format, locale), window })}
        </p>
      )}
      {series.length > 1 && (
        <Sparkline
          series={series}
          label={t("monitoring.sparkline", {
            min: formatFigure(Math.min(...series), format, locale),
            max: formatFigure(Math.max(...series), format, locale),
          })}
        />
      )}
      {hint && <p className="metric-hint muted small">{hint}</p>}
      {children}
    </article>
  );
}
