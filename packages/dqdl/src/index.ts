/**
 * DQDL (AWS Glue Data Quality Definition Language): parse a ruleset into a typed model,
 * with every error reported as data, and print rules back as canonical text.
 *
 *   const { ruleset, diagnostics } = parseRuleset(text);
 *   if (ruleset === undefined) diagnostics.forEach((d) => console.error(d.code, d.pos, d.message));
 *
 * Diagnostics carry offsets; the caller places and prints them (in dagwright, src/diagnostics:
 * `SourceText`, `formatDiagnostic`).
 */
import type { Ruleset } from './ast.js';
import { checkAnalyzer, checkRule } from './checks.js';
import type { DqdlDiagnostic } from './diagnostics.js';
import { checkLabelList, checkRuleLabels } from './labels.js';
import { parseDocument } from './parser.js';

export type * from './ast.js';
export type { DqdlDiagnostic, DqdlCode } from './diagnostics.js';
export type { ParamSpec, ReturnType, RuleTypeSpec } from './catalogue.js';
export { RULE_TYPES, conditionKindFor, findRuleType } from './catalogue.js';
export { MAX_LABELS, effectiveLabels } from './labels.js';
export { closest } from './did-you-mean.js';
export { MAX_NESTING } from './cursor.js';
export * from './metric-values.js';
// DuckDB-free, so the spec checks can refuse these rules without loading the evaluator.
export { CLOUD_ONLY_RULES } from './eval/cloud-only.js';
export { printAnalyzer, printCondition, printNumExpr, printRule, printRuleset } from './printer.js';

export interface ParseResult {
  /** Present exactly when there are no diagnostics. */
  readonly ruleset?: Ruleset;
  /** Every problem found, in source order. */
  readonly diagnostics: readonly DqdlDiagnostic[];
}

/** Parses and checks a whole DQDL document. Never throws. */
export function parseRuleset(text: string): ParseResult {
  const parsed = parseDocument(text);
  const diagnostics: DqdlDiagnostic[] = [...parsed.diagnostics, ...checkLabelList(parsed.ruleset.defaultLabels)];
  const rules = parsed.ruleset.rules.map((rule) => {
    const checked = checkRule(rule);
    diagnostics.push(...checked.diagnostics, ...checkRuleLabels(rule, parsed.ruleset.defaultLabels));
    return checked.value;
  });
  const analyzers = parsed.ruleset.analyzers.map((analyzer) => {
    const checked = checkAnalyzer(analyzer);
    diagnostics.push(...checked.diagnostics);
    return checked.value;
  });
  const sorted = diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.pos[0] - b.d.pos[0] || a.i - b.i)
    .map(({ d }) => d);
  if (sorted.length > 0) return { diagnostics: sorted };
  return { ruleset: { ...parsed.ruleset, rules, analyzers }, diagnostics: [] };
}
