import { sparklineArea, sparklinePoints } from "./cards";

const WIDTH = 120;
const HEIGHT = 32;

/** The last hour as a small inline SVG; its label says the range in words for screen readers. */
export function Sparkline({ series, label }: { series: readonly number[]; label: string }) {
  const points = sparklinePoints(series, WIDTH, HEIGHT);
  if (!points) return null;
  return (
    <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <polygon className="sparkline-area" points={sparklineArea(points, WIDTH, HEIGHT)} />
      <polyline className="sparkline-line" points={points} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
