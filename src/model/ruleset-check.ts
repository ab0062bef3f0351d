/**
 * A dq_check's DQDL ruleset, checked at generation time with the same parser the dq service
 * uses, and with the checks its evaluator makes before reading data, so a broken ruleset is
 * reported against the spec instead of failing at 3 a.m.
 */
import { CLOUD_ONLY_RULES, parseRuleset, type Rule } from '@dagwright/dqdl';
import { checkRulesetStatically } from '@dagwright/dqdl/check';
import { SourceText } from '../diagnostics/source-text.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecPath, SpecSource } from '../spec/source.js';
import type { PipelineSpec } from '../spec/types.js';
import { flattenTasks } from './flatten.js';

export function checkRuleset(source: SpecSource, path: SpecPath, ruleset: string): SpecDiagnostic[] {
  const parsed = parseRuleset(ruleset);
  return placed(source, path, ruleset, [...parsed.diagnostics, ...(parsed.ruleset ? cloudOnlyRules(parsed.ruleset.rules) : [])]);
}

/**
 * What the DQDL evaluator refuses in each dq_check's ruleset before it reads any data
 * (`checkRulesetStatically`: the SQL guard, RE2, dynamic operands), placed as the
 * parser's diagnostics are. A dq_check gives the dq service no reference datasets, so
 * CustomSql may read only `primary`. Rulesets that do not parse are left to checkRuleset, and
 * templated rules to the run.
 */
export async function checkRulesetsForEvaluator(source: SpecSource, spec: PipelineSpec): Promise<SpecDiagnostic[]> {
  const diagnostics: SpecDiagnostic[] = [];
  for (const entry of flattenTasks(spec.tasks)) {
    if (entry.kind !== 'task' || entry.spec.type !== 'dq_check') continue;
    const text = entry.spec.ruleset;
    const { ruleset } = parseRuleset(text);
    if (ruleset === undefined) continue;
    // A rule with Jinja in it (`{{ item }}` in a where clause) is checked as Airflow renders
    // it, at run time; its text here is not the SQL the service will see.
    const rules = ruleset.rules.filter((rule) => !JINJA.test(text.slice(rule.pos[0], rule.pos[1])));
    const problems = await checkRulesetStatically({ ...ruleset, rules }, { references: [] });
    diagnostics.push(...placed(source, [...entry.path, 'ruleset'], text, problems));
  }
  return diagnostics;
}

/** A Jinja expression or statement: the ruleset is a templated field of the operator. */
const JINJA = /\{\{|\{%/;

/** Diagnostics of the ruleset at `path` as task.dqdl, at their place in the spec file. */
function placed(source: SpecSource, path: SpecPath, ruleset: string, diagnostics: readonly Diagnostic[]): SpecDiagnostic[] {
  if (diagnostics.length === 0) return [];
  const lines = new SourceText(ruleset);
  const locate = offsetMapper(source, path, lines);
  return diagnostics.map((d) => {
    const at = lines.locate(d.pos[0]);
    return {
      code: 'task.dqdl',
      message: `ruleset line ${at.line}, column ${at.col}: ${d.code}: ${d.message}`,
      file: source.file,
      pos: locate(d.pos),
      path: '/' + path.join('/'),
    };
  });
}

/** The rules only AWS Glue can evaluate: in a dq_check they would always be ERROR, and fail it. */
function cloudOnlyRules(rules: readonly Rule[]): Diagnostic[] {
  return rules.flatMap((rule) => {
    if (rule.kind === 'composite') return cloudOnlyRules(rule.rules);
    if (CLOUD_ONLY_RULES[rule.ruleType] === undefined) return [];
    const message = `${rule.ruleType} inspects S3 files, which the dq service cannot: it would be ERROR and fail the check; run it in AWS Glue Data Quality`;
    return [{ code: 'dqdl.cloud-only-rule', message, pos: rule.typePos }];
  });
}

/**
 * Maps offsets inside the ruleset's text back to the spec file. Exact for block literals
 * (`ruleset: |`), where line n of the text is line n after the `|` header, less the block's
 * indentation; otherwise (and past the block's lines) the whole scalar.
 */
function offsetMapper(source: SpecSource, path: SpecPath, value: SourceText): (pos: Span) => [number, number] {
  const scalar = source.scalarAt(path);
  const whole = (): [number, number] => scalar?.range ?? source.rangeOf(path);
  if (!scalar || scalar.style !== 'BLOCK_LITERAL') return whole;
  const spec = source.lines;
  const header = spec.locate(scalar.range[0]).line;
  const indent = blockIndent(spec, header, scalar.range[1]);
  return ([start, end]) => {
    const at = value.locate(start);
    const lineStart = spec.lineStart(header + at.line);
    if (lineStart >= scalar.range[1]) return whole();
    const mapped = lineStart + indent + at.col - 1;
    return [mapped, mapped + Math.max(1, end - start)];
  };
}

/** A block scalar's indentation: that of its first line that is not blank. */
function blockIndent(spec: SourceText, header: number, end: number): number {
  for (let line = header + 1; line <= spec.lineCount && spec.lineStart(line) < end; line++) {
    const text = spec.lineText(line);
    if (text.trim() !== '') return text.length - text.trimStart().length;
  }
  return 0;
}
