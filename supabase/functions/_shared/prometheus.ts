// Prometheus text exposition format 0.0.4: one HELP and TYPE line per family, then its samples.
// https://prometheus.io/docs/instrumenting/exposition_formats/

export type MetricType = "counter" | "gauge" | "histogram";

export interface Sample {
  /** Appended to the family name: "_bucket", "_sum", "_count" for histograms. */
  suffix?: string;
  labels?: Record<string, string | number>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeLabel = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(labels: Record<string, string | number> = {}): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(String(v))}"`);
  return pairs.length ? `{${pairs.join(",")}}` : "";
}

export function renderPrometheus(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of family.samples) {
      lines.push(`${family.name}${s.suffix ?? ""}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The samples of one histogram series from non-cumulative bucket counts; `bounds` are the finite upper bounds. */
export function histogramSamples(
  labels: Record<string, string>,
  bounds: number[],
  counts: number[],
  sum: number,
): Sample[] {
  let cumulative = 0;
  const buckets = [...bounds, Infinity].map((le, i) => {
    cumulative += counts[i] ?? 0;
    return { suffix: "_bucket", labels: { ...labels, le: formatValue(le) }, value: cumulative };
  });
  return [...buckets, { suffix: "_sum", labels, value: sum }, {
    suffix: "_count",
    labels,
    value: cumulative,
  }];
}
