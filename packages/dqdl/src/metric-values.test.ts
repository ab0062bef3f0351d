/** Metric values in JSON: numbers, or "NaN", "Infinity", "-Infinity"; null stays null. */
import { describe, expect, it } from 'vitest';
import { decodeMetric, encodeMetric, encodeMetrics } from './metric-values.js';

describe('metric values in JSON', () => {
  it('finite values are numbers; non-finite ones the AWS JSON protocols strings; null stays null', () => {
    expect([1.5, -0, 0, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null].map((v) => encodeMetric(v))).toEqual([1.5, -0, 0, Number.MAX_VALUE, 'NaN', 'Infinity', '-Infinity', null]);
  });
  it('round-trips through JSON text', () => {
    const metrics = { a: 0.25, b: Number.NaN, c: Number.POSITIVE_INFINITY, d: Number.NEGATIVE_INFINITY };
    const back = JSON.parse(JSON.stringify(encodeMetrics(metrics))) as Record<string, unknown>;
    expect(Object.fromEntries(Object.entries(back).map(([k, v]) => [k, decodeMetric(v)]))).toEqual(metrics);
  });
  it('anything else is not a metric value', () => {
    expect(['nan', 'inf', '1.5', true, {}, undefined].map(decodeMetric)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(decodeMetric(null)).toBeNull();
  });
});
