/**
 * A dq_check's DQDL ruleset, checked at generation time with the same parser the dq service
 * uses, so a broken ruleset is reported against the spec instead of failing at 3 a.m.
 */
import type { Rule } from '../dqdl/ast.js';
import { CLOUD_ONLY_RULES } from '../dqdl/eval/cloud-only.js';
import { LineIndex, parseRuleset } from '../dqdl/index.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import type { SpecPath, SpecSource } from '../spec/source.js';

export function checkRuleset(source: SpecSource, path: SpecPath, ruleset: string): Diagnostic[] {
  const parsed = parseRuleset(ruleset);
  const diagnostics = [...parsed.diagnostics, ...(parsed.ruleset ? cloudOnlyRules(parsed.ruleset.rules) : [])];
  if (diagnostics.length === 0) return [];
  const locate = offsetMapper(source, path, ruleset);
  const lines = new LineIndex(ruleset);
  return diagnostics.map((d) => {
    const at = lines.locate(d.pos[0]);
    const mapped = locate(d.pos[0], d.pos[1]);
    return {
      code: 'task.dqdl',
      message: `ruleset line ${at.line}, column ${at.col}: ${d.code}: ${d.message}`,
      file: source.file,
      pos: mapped,
      path: '/' + path.join('/'),
    };
  });
}

/** The rules only AWS Glue can evaluate: in a dq_check they would always be ERROR, and fail it. */
function cloudOnlyRules(rules: readonly Rule[]): Array<{ code: string; message: string; pos: readonly [number, number] }> {
  return rules.flatMap((rule) => {
    if (rule.kind === 'composite') return cloudOnlyRules(rule.rules);
    if (CLOUD_ONLY_RULES[rule.ruleType] === undefined) return [];
    const message = `${rule.ruleType} inspects S3 files, which the dq service cannot: it would be ERROR and fail the check; run it in AWS Glue Data Quality`;
    return [{ code: 'dqdl.cloud-only-rule', message, pos: rule.typePos }];
  });
}

/**
 * Maps offsets inside the ruleset's text back to the spec file. Exact for block literals
 * (`ruleset: |`), where the text is the indented lines as written; otherwise the whole scalar.
 */
function offsetMapper(source: SpecSource, path: SpecPath, value: string): (start: number, end: number) => [number, number] {
  const scalar = source.scalarAt(path);
  const whole = (): [number, number] => scalar?.range ?? source.rangeOf(path);
  if (!scalar || scalar.style !== 'BLOCK_LITERAL') return whole;
  const text = source.text;
  const firstLine = text.indexOf('\n', scalar.range[0]) + 1;
  if (firstLine <= 0) return whole;
  const contentLines: number[] = []; // the source offset where each value line's content starts
  const indent = /^ */.exec(text.slice(firstLine))?.[0].length ?? 0;
  for (let offset = firstLine; offset < scalar.range[1] && contentLines.length <= value.split('\n').length; ) {
    contentLines.push(offset + indent);
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  const lines = new LineIndex(value);
  return (start, end) => {
    const at = lines.locate(start);
    const lineStart = contentLines[at.line - 1];
    if (lineStart === undefined) return whole();
    const mapped = lineStart + at.col - 1;
    return [mapped, mapped + Math.max(1, end - start)];
  };
}
