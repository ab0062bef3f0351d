/** Checks of one task's own fields that the schema cannot express. */
import { PYTHON_KEYWORDS } from '../contract/index.js';
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecSource } from '../spec/source.js';
import type { TaskSpec } from '../spec/types.js';
import type { SpecEntry } from './flatten.js';
import { POLICY_TASK_TYPES } from './retry-check.js';
import { checkRuleset } from './ruleset-check.js';

export function checkTask(source: SpecSource, entry: SpecEntry): SpecDiagnostic[] {
  const diagnostics: SpecDiagnostic[] = [];
  const spec: TaskSpec = entry.spec;
  if (Array.isArray(spec.retry) && !POLICY_TASK_TYPES.has(spec.type)) {
    diagnostics.push(
      source.diagnostic(
        'retry.policies-unsupported',
        `per-error retry policies need a task that reports error codes (${[...POLICY_TASK_TYPES].join(', ')}); a ${spec.type} task takes the map form {attempts, delay, backoff, max_delay}`,
        [...entry.path, 'retry'],
        'key',
      ),
    );
  }
  if (spec.type === 'load') {
    if (spec.mode === 'merge' && (spec.keys === undefined || spec.keys.length === 0)) {
      diagnostics.push(source.diagnostic('task.invalid', 'mode merge needs "keys": the columns that identify a row', [...entry.path, 'mode']));
    }
    if (spec.mode !== 'merge' && spec.keys !== undefined) {
      diagnostics.push(source.diagnostic('task.invalid', `"keys" only applies to mode merge, not ${spec.mode}`, [...entry.path, 'keys'], 'key'));
    }
    if (spec.source !== undefined && spec.input !== undefined) {
      diagnostics.push(source.diagnostic('task.invalid', 'a load reads either its source or the batch of its input, not both', [...entry.path, 'source'], 'key'));
    }
    if (spec.aws_conn_id !== undefined && spec.source === undefined) {
      diagnostics.push(source.diagnostic('task.invalid', 'aws_conn_id lists the source; a load without source reads an upstream batch', [...entry.path, 'aws_conn_id'], 'key'));
    }
  }
  if (spec.type === 'dq_check') {
    diagnostics.push(...checkRuleset(source, [...entry.path, 'ruleset'], spec.ruleset));
  }
  if (spec.type === 'python') {
    const bad = spec.callable.split(/[.:]/).find((part) => PYTHON_KEYWORDS.has(part));
    if (bad !== undefined) diagnostics.push(source.diagnostic('spec.bad-value', `"${bad}" is a Python keyword and cannot be part of an import path`, [...entry.path, 'callable']));
  }
  return diagnostics;
}
