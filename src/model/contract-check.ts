/**
 * Checks of values that the spec schema cannot express and a service would refuse at run
 * time, reported against the spec instead (the limits come from src/contract).
 */
import { BOOKMARK_TOLERANCE_MAX_SECONDS, QUARANTINE_OUTPUT_FORMAT } from '../contract/index.js';
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
    if ((details.type === 'load' || details.type === 'dq_check') && details.format !== undefined && details.inputTaskId !== undefined) {
      // A quarantining dq_check hands on its passed rows, written as Parquet, whatever it read.
      const input = byId.get(details.inputTaskId)?.details;
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
  return diagnostics;
}
