/**
 * DetectAnomalies, locally: the named metric (`DetectAnomalies "RowCount"`,
 * `DetectAnomalies "Completeness" "colA"`) is computed as its analyzer would, and each of
 * its values is compared with its history: an anomaly is a value more than three
 * (population) standard deviations from the mean of the last runs. With fewer than three
 * earlier values the rule passes and says so. AWS Glue fits a model instead; this is the
 * plain statistical stand-in, for local runs.
 */
import type { SimpleRule } from '../../ast.js';
import { findRuleType } from '../../catalogue.js';
import { compileAnalyzer } from '../engine/analyzers.js';
import { javaDouble } from '../engine/format.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';

const MIN_HISTORY = 3;
const SIGMAS = 3;
const WINDOW = 20;

export function anomalyOf(value: number, past: readonly number[]): string | undefined {
  const xs = past.slice(0, WINDOW);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  const tolerance = Math.max(SIGMAS * sd, 1e-9 * Math.max(1, Math.abs(mean)));
  if (Math.abs(value - mean) <= tolerance) return undefined;
  return `${javaDouble(value)} is outside ${javaDouble(mean - tolerance)} .. ${javaDouble(mean + tolerance)} (mean ± ${SIGMAS}σ of the last ${xs.length} runs)`;
}

export async function detectAnomalies(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const [metric, ...params] = rule.params;
  const spec = metric === undefined ? undefined : findRuleType(metric.value, params.length);
  if (metric === undefined || spec === undefined || (spec.returnTypes.length === 1 && spec.returnTypes[0] === 'BOOLEAN')) {
    ctx.fail({ code: 'dq.invalid-ruleset', message: `DetectAnomalies needs a metric rule type and its parameters, e.g. "RowCount" or "Completeness" "col"`, pos: metric?.pos ?? rule.pos });
    return undefined;
  }
  const analyzer = await compileAnalyzer({ kind: 'analyzer', analyzerType: metric.value, typePos: metric.pos, params, pos: rule.pos }, ctx);
  return {
    finish: (values): Verdict => {
      const { metrics, message, history } = analyzer.finish(values);
      if (message !== undefined) return { outcome: 'ERROR', message, metrics };
      const found: string[] = [];
      const young: string[] = [];
      for (const [key, value] of Object.entries(history)) {
        const past = ctx.history(key);
        if (past.length < MIN_HISTORY) young.push(`${key}: ${past.length} of ${MIN_HISTORY} earlier values`);
        else {
          const anomaly = anomalyOf(value, past);
          if (anomaly !== undefined) found.push(`${key}: ${anomaly}`);
        }
      }
      if (found.length > 0) return { outcome: 'FAIL', message: `Anomaly detected: ${found.join('; ')}`, metrics, history };
      return { outcome: 'PASS', metrics, history, ...(young.length > 0 ? { message: `Not enough history to detect anomalies yet (${young.join('; ')})` } : {}) };
    },
  };
}
