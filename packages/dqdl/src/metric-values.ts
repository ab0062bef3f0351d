/**
 * Metric values in JSON. A data quality metric is a double, and may be NaN or ±Infinity
 * (a mean over NaN values, a sum that overflows), which JSON numbers cannot hold
 * (`JSON.stringify` writes them as `null`). In every JSON document dagwright writes (the
 * CLI's `dq eval --json` and `--history` file, the dq service's results and stored
 * evaluations), a finite metric is a JSON number and a non-finite one is the string
 * `"NaN"`, `"Infinity"` or `"-Infinity"`: the encoding the AWS JSON protocols (awsJson1_1,
 * restJson1) use for doubles, so Glue's GetDataQualityResult `EvaluatedMetrics` read the
 * same way. No value (NULL) stays JSON `null`. Exported from the package's main entry (no
 * DuckDB), for the evaluator's Glue JSON, the CLI and the dq service alike.
 */

export const NON_FINITE_METRICS = ['NaN', 'Infinity', '-Infinity'] as const;
export type NonFiniteMetric = (typeof NON_FINITE_METRICS)[number];

/** A metric value as JSON holds it. */
export type MetricJson = number | NonFiniteMetric;

/** Metric name → value, as JSON holds them. */
export type MetricsJson = Record<string, MetricJson>;

/** The JSON Schema of a metric value (null: no value). */
export const METRIC_VALUE_SCHEMA = {
  description: 'A metric: a number, or "NaN", "Infinity", "-Infinity" (as AWS JSON protocols write doubles); null when there is no value.',
  oneOf: [{ type: 'number' }, { type: 'string', enum: [...NON_FINITE_METRICS] }, { type: 'null' }],
} as const;

/** The JSON Schema of a metrics object. */
export const METRICS_SCHEMA = { type: 'object', additionalProperties: METRIC_VALUE_SCHEMA } as const;

export function encodeMetric(value: number): MetricJson;
export function encodeMetric(value: number | null): MetricJson | null;
export function encodeMetric(value: number | null): MetricJson | null {
  if (value === null || Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** The number a JSON metric value stands for; `undefined` when it is none (wrong type, other strings). */
export function decodeMetric(value: unknown): number | null | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  switch (value) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

export function encodeMetrics(metrics: Readonly<Record<string, number>>): MetricsJson {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, encodeMetric(v)]));
}
