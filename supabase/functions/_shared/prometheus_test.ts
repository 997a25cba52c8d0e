import { equal } from "node:assert/strict";
import parsePrometheusTextFormat from "npm:parse-prometheus-text-format@1.1.1";
import { histogramSamples, renderPrometheus } from "./prometheus.ts";

Deno.test("Prometheus text: label values with quotes, backslashes and newlines survive a parser", () => {
  const text = renderPrometheus([{
    name: "atende_webhook_requests_total",
    help: "Webhook requests.\nBy provider.",
    type: "counter",
    samples: [{ labels: { provider: 'evo"lution\\', status: "line\nbreak" }, value: 3 }],
  }]);
  const [family] = parsePrometheusTextFormat(text);
  equal(family.metrics[0].labels.provider, 'evo"lution\\');
  equal(family.metrics[0].labels.status, "line\nbreak");
  equal(family.metrics[0].value, "3");
});

Deno.test("Prometheus text: a histogram's buckets are cumulative and end in +Inf with the count", () => {
  const text = renderPrometheus([{
    name: "atende_queue_processing_latency_seconds",
    help: "Latency.",
    type: "histogram",
    samples: histogramSamples({}, [0.05, 0.1], [2, 0, 3], 1.5),
  }]);
  const [family] = parsePrometheusTextFormat(text);
  equal(JSON.stringify(family.metrics[0].buckets), JSON.stringify({ "0.05": "2", "0.1": "2", "+Inf": "5" }));
  equal(family.metrics[0].count, "5");
  equal(family.metrics[0].sum, "1.5");
});
