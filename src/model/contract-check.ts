/**
 * Checks of values that the spec schema cannot express and a service would refuse at run
 * time, reported against the spec instead (the limits come from src/contract).
 */
import { BOOKMARK_TOLERANCE_MAX_SECONDS, formatOfName, QUARANTINE_OUTPUT_FORMAT, specFormatOf } from '../contract/index.js';
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecSource } from '../spec/source.js';
import type { TaskModel } from './types.js';

export function checkServiceContract(source: SpecSource, tasks: readonly TaskModel[]): SpecDiagnostic[] {
  const diagnostics: SpecDiagnostic[] = [];
  const byId = new Map(tasks.map((task) => [task.taskId, task]));
  for (const task of tasks) {
    const details = task.details;
    if (details.type === 'bookmark') {
      const seconds = details.options['tolerance_seconds'];
      if (typeof seconds === 'number' && seconds > BOOKMARK_TOLERANCE_MAX_SECONDS) {
        diagnostics.push(source.diagnostic('spec.bad-value', `tolerance is at most 7d (${BOOKMARK_TOLERANCE_MAX_SECONDS}s): the bookmarks service looks no further back`, [...task.path, 'tolerance']));
      }
    }
    if ((details.type === 'load' || details.type === 'dq_check') && details.format !== undefined) {
      // One object named with an extension: the format given must be the one it says.
      const named = details.type === 'load' ? details.source : details.dataset;
      const field = details.type === 'load' ? 'source' : 'dataset';
      const says = named !== undefined && !named.endsWith('/') ? formatOfName(named) : undefined;
      if (says !== undefined && says !== details.format) {
        diagnostics.push(source.diagnostic('task.format-mismatch', `format is ${specFormatOf(details.format)}, but ${field} names a ${specFormatOf(says)} object; remove format (it is inferred from the name) or correct it`, [...task.path, 'format']));
      }
    }
    if ((details.type === 'load' || details.type === 'dq_check') && details.format !== undefined && details.inputTaskId !== undefined) {
      // A quarantining dq_check hands on its passed rows, written as Parquet, whatever it read.
      const input = byId.get(details.inputTaskId)?.details;
      // A dq_check that does not quarantine hands on the batch it read, in the format it read it.
      if (input?.type === 'dq_check' && input.onViolation !== 'quarantine' && input.format !== undefined && input.format !== details.format) {
        diagnostics.push(
          source.diagnostic(
            'task.format-mismatch',
            `this ${details.type} reads the batch dq_check "${details.inputTaskId}" checked as ${specFormatOf(input.format)}, and says it is ${specFormatOf(details.format)}; give both the same format, or leave this one out`,
            [...task.path, 'format'],
          ),
        );
      }
      if (input?.type === 'dq_check' && input.onViolation === 'quarantine' && details.format !== QUARANTINE_OUTPUT_FORMAT) {
        diagnostics.push(
          source.diagnostic(
            'task.format-mismatch',
            `this ${details.type} reads the passed rows of dq_check "${details.inputTaskId}", which quarantines and hands them on as ${QUARANTINE_OUTPUT_FORMAT}; remove format (it is inferred) or set ${QUARANTINE_OUTPUT_FORMAT}`,
            [...task.path, 'format'],
          ),
        );
      }
    }
  }
  diagnostics.push(...checkLoadIntent(source, tasks, byId));
  return diagnostics;
}

/**
 * Warnings for loads that run but likely not as meant: loading a warehouse other than the one
 * an upstream `warehouse_available` waits for (a typo in one of the names), and replacing a
 * table with each incremental batch of a bookmark (the table keeps only the latest batch).
 */
function checkLoadIntent(source: SpecSource, tasks: readonly TaskModel[], byId: ReadonlyMap<string, TaskModel>): SpecDiagnostic[] {
  const warnings: SpecDiagnostic[] = [];
  for (const task of tasks) {
    const details = task.details;
    if (details.type !== 'load') continue;
    const checked = task.upstream.map((id) => byId.get(id)?.details).filter((d) => d?.type === 'warehouse_available');
    const waited = checked.map((d) => (d?.type === 'warehouse_available' ? d.warehouse : ''));
    if (waited.length > 0 && !waited.includes(details.warehouse)) {
      const message = `this load writes warehouse "${details.warehouse}", but runs after a check of ${waited.map((w) => `"${w}"`).join(', ')}; name the same warehouse in both`;
      warnings.push({ ...source.diagnostic('load.unchecked-warehouse', message, [...task.path, 'warehouse']), severity: 'warning' });
    }
    if (details.mode === 'replace' && fromBookmark(details.inputTaskId, byId)) {
      const message = 'mode replace with a bookmark upstream: each run replaces the table with that run\'s new objects only, so the table holds the latest batch; use append or merge to keep every batch';
      warnings.push({ ...source.diagnostic('load.replace-incremental', message, [...task.path, 'mode']), severity: 'warning' });
    }
  }
  return warnings;
}

/** Whether the batch a task reads comes from a bookmark (directly, or through the dq_checks between). */
function fromBookmark(inputTaskId: string | undefined, byId: ReadonlyMap<string, TaskModel>): boolean {
  const seen = new Set<string>();
  for (let id = inputTaskId; id !== undefined && !seen.has(id); ) {
    seen.add(id);
    const details = byId.get(id)?.details;
    if (details?.type === 'bookmark') return true;
    id = details?.type === 'dq_check' && details.dataset === undefined ? details.inputTaskId : undefined;
  }
  return false;
}
