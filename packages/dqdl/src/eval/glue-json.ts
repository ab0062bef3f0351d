/**
 * An evaluation in the shape of Glue's GetDataQualityResult (PascalCase fields), ready for
 * JSON: metrics are numbers, or "NaN", "Infinity", "-Infinity" (../metric-values.ts).
 */
import { encodeMetrics, type MetricsJson } from '../metric-values.js';
import type { Evaluation, Outcome } from './types.js';

export interface GlueRuleResult {
  readonly Name: string;
  readonly Description: string;
  readonly EvaluationMessage?: string;
  readonly Result: Outcome;
  readonly EvaluatedMetrics: MetricsJson;
  readonly EvaluatedRule: string;
  readonly Labels: Record<string, string>;
}

export interface GlueAnalyzerResult {
  readonly Name: string;
  readonly Description: string;
  readonly EvaluationMessage?: string;
  readonly EvaluatedMetrics: MetricsJson;
}

export interface GlueResult {
  readonly Score: number;
  readonly RuleResults: readonly GlueRuleResult[];
  readonly AnalyzerResults: readonly GlueAnalyzerResult[];
  readonly AggregatedMetrics: {
    readonly TotalRowsProcessed: number;
    readonly TotalRowsPassed?: number;
    readonly TotalRowsFailed?: number;
    readonly TotalRulesProcessed: number;
    readonly TotalRulesPassed: number;
    readonly TotalRulesFailed: number;
  };
}

export function toGlueResult(e: Evaluation, rows?: { passed: number; failed: number }): GlueResult {
  return {
    Score: e.score,
    RuleResults: e.rules.map((r) => ({
      Name: r.name,
      Description: r.rule,
      ...(r.message !== undefined ? { EvaluationMessage: r.message } : {}),
      Result: r.result,
      EvaluatedMetrics: encodeMetrics(r.metrics),
      EvaluatedRule: r.evaluatedRule,
      Labels: r.labels,
    })),
    AnalyzerResults: e.analyzers.map((a) => ({
      Name: a.name,
      Description: a.analyzer,
      ...(a.message !== undefined ? { EvaluationMessage: a.message } : {}),
      EvaluatedMetrics: encodeMetrics(a.metrics),
    })),
    AggregatedMetrics: {
      TotalRowsProcessed: e.rowCount,
      ...(rows !== undefined ? { TotalRowsPassed: rows.passed, TotalRowsFailed: rows.failed } : {}),
      TotalRulesProcessed: e.rules.length,
      TotalRulesPassed: e.rules.filter((r) => r.result === 'PASS').length,
      TotalRulesFailed: e.rules.filter((r) => r.result !== 'PASS').length,
    },
  };
}
