/**
 * Rule type → compiler: the scan rules, and DetectAnomalies on top of them. Types Glue
 * evaluates only in the cloud give ERROR with a reason.
 */
import type { SimpleRule } from '../../ast.js';
import { detectAnomalies } from './anomalies.js';
import type { CompiledRule, RuleCompiler, RuleContext } from './context.js';
import { compileWith, SCAN_RULE_COMPILERS } from './scan-rules.js';

export const COMPILERS: Readonly<Record<string, RuleCompiler>> = { ...SCAN_RULE_COMPILERS, DetectAnomalies: detectAnomalies };

export function compileRule(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  return compileWith(COMPILERS, rule, ctx);
}
