/**
 * Checks of values that the spec schema cannot express and a service would refuse at run
 * time, reported against the spec instead (the limits come from src/contract).
 */
import { BOOKMARK_TOLERANCE_MAX_SECONDS, formatOfName, QUARANTINE_OUTPUT_FORMAT, SPEC_DATA_FORMATS, type DataFormat } from '../contract/index.js';
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
        diagnostics.push(source.diagnostic('task.format-mismatch', `format is ${specFormat(details.format)}, but ${field} names a ${specFormat(says)} object; remove format (it is inferred from the name) or correct it`, [...task.path, 'format']));
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
            `this ${details.type} reads the batch dq_check "${details.inputTaskId}" checked as ${specFormat(input.format)}, and says it is ${specFormat(details.format)}; give both the same format, or leave this one out`,
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
  return diagnostics;
}

/** A wire format as a spec writes it (`jsonl` is a spec's `json`). */
function specFormat(format: DataFormat): string {
  return Object.entries(SPEC_DATA_FORMATS).find(([, wire]) => wire === format)?.[0] ?? format;
}
