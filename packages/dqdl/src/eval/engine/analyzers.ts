/**
 * Analyzers record metrics without passing or failing. Each is compiled as its rule type
 * with a condition that always holds, so it shares the scans (and metric names) of the
 * rules; ColumnValues (minimum and maximum, or their lengths for text) and AllStatistics
 * (every statistic that suits the column) are built from several. An analyzer's type is a
 * metric (never a boolean check such as DetectAnomalies), so the scan rules compile it.
 */
import type { Analyzer, NumberCondition, SimpleRule } from '../../ast.js';
import { printAnalyzer } from '../../printer.js';
import type { CompiledRule, RuleContext } from '../rules/context.js';
import { col, filtered, isNumeric, isText, asText } from '../rules/columns.js';
import { compileScanRule } from '../rules/scan-rules.js';
import type { AnalyzerResult, EvalError, Metrics } from '../types.js';
import type { Values } from './execute.js';

const ALWAYS: NumberCondition = { kind: 'number', op: 'not in', operands: [], pos: [0, 0] };
const AT_LEAST_ANY: NumberCondition = { kind: 'number', op: '>=', operands: [{ kind: 'number', text: '0', value: Number.NEGATIVE_INFINITY, pos: [0, 0] }], pos: [0, 0] };

function asRule(a: Analyzer, ruleType = a.analyzerType, condition: NumberCondition = ALWAYS): SimpleRule {
  return { kind: 'rule', ruleType, typePos: a.typePos, params: a.params, condition, tags: [], labels: [], pos: a.pos };
}

export interface CompiledAnalyzer {
  readonly analyzer: Analyzer;
  finish(values: Values): { metrics: Metrics; message?: string; history: Metrics };
}

function fromRules(a: Analyzer, parts: ReadonlyArray<CompiledRule | undefined>): CompiledAnalyzer {
  return {
    analyzer: a,
    finish: (values) => {
      const metrics: Metrics = {};
      const history: Metrics = {};
      const messages: string[] = [];
      for (const p of parts) {
        if (p === undefined) continue;
        const v = p.finish(values);
        Object.assign(metrics, v.metrics);
        Object.assign(history, v.history ?? {});
        if (v.outcome === 'ERROR' && v.message !== undefined) messages.push(v.message);
      }
      return { metrics, history, ...(messages.length > 0 ? { message: messages.join('\n') } : {}) };
    },
  };
}

/** Minimum and maximum (numbers), or minimum and maximum length (text). */
function extremes(a: Analyzer, ctx: RuleContext): CompiledRule | undefined {
  const p = a.params[0]!;
  const c = ctx.column(p);
  if (c === undefined) return undefined;
  const names = isNumeric(c) ? ['Minimum', 'Maximum'] : ['MinimumLength', 'MaximumLength'];
  const x = isNumeric(c) ? col(c) : `length(${asText(c)})`;
  if (!isNumeric(c) && !isText(c) && !/^(DATE|TIMESTAMP)/.test(c.type)) return undefined;
  const slots = [ctx.plan.aggregate(filtered(`min(${x})`, undefined)), ctx.plan.aggregate(filtered(`max(${x})`, undefined))];
  return {
    finish: (v) => {
      const metrics: Metrics = {};
      slots.forEach((s, i) => {
        const value = v.num(s);
        if (value !== null) metrics[`Column.${p.value}.${names[i]}`] = value;
      });
      return { outcome: 'PASS', metrics, history: metrics };
    },
  };
}

export async function compileAnalyzer(a: Analyzer, ctx: RuleContext): Promise<CompiledAnalyzer> {
  switch (a.analyzerType) {
    case 'ColumnValues':
      return fromRules(a, [extremes(a, ctx)]);
    case 'ColumnLength':
      return fromRules(a, [await compileScanRule(asRule(a, 'ColumnLength', AT_LEAST_ANY), ctx)]);
    case 'AllStatistics': {
      const c = ctx.column(a.params[0]!);
      if (c === undefined) return fromRules(a, []);
      const types = ['Completeness', 'Uniqueness', 'DistinctValuesCount', 'UniqueValueRatio', 'Entropy', ...(isNumeric(c) ? ['Mean', 'Sum', 'StandardDeviation'] : [])];
      const parts = await Promise.all(types.map((t) => compileScanRule(asRule(a, t), ctx)));
      return fromRules(a, [...parts, extremes(a, ctx)]);
    }
    default:
      return fromRules(a, [await compileScanRule(asRule(a), ctx)]);
  }
}

/** An analyzer that could not be bound to the data: no metrics, its problems as the message. */
export function erroredAnalyzer(a: Analyzer, problems: readonly EvalError[]): CompiledAnalyzer {
  return { analyzer: a, finish: () => ({ metrics: {}, history: {}, message: problems.map((p) => p.message).join('\n') }) };
}

export function analyzerResult(c: CompiledAnalyzer, index: number, values: Values): AnalyzerResult & { history: Metrics } {
  const { metrics, message, history } = c.finish(values);
  return { name: `Analyzer_${index}`, analyzer: printAnalyzer(c.analyzer), metrics, history, pos: c.analyzer.pos, ...(message !== undefined ? { message } : {}) };
}
