/** The report a person reads after `dagwright local run`. */
import type { RunReport, TaskOutcome } from './run.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

export function formatRunReport(report: RunReport): string {
  const lines = [`${report.dagId} run ${report.runId}: ${report.state.toUpperCase()} in ${report.seconds} s`, ''];
  const width = Math.max(4, ...report.tasks.map((t) => label(t).length));
  lines.push(`  ${'task'.padEnd(width)}  ${'state'.padEnd(15)} tries  duration`);
  for (const t of report.tasks) {
    lines.push(`  ${label(t).padEnd(width)}  ${(t.state ?? 'none').padEnd(15)} ${String(t.tries).padStart(5)}  ${t.durationSeconds === null ? '' : `${t.durationSeconds.toFixed(1)} s`}`);
  }
  const services = report.tasks.flatMap((t) => serviceLine(t));
  if (services.length > 0) lines.push('', '  what the services did:', ...services.map((l) => `    ${l}`));
  for (const [name, bookmark] of Object.entries(report.bookmarks)) lines.push(`    bookmark ${name}: ${bookmarkLine(obj(bookmark))}`);
  return lines.join('\n');
}

function label(t: TaskOutcome): string {
  return t.mapIndex >= 0 ? `${t.taskId}[${t.mapIndex}]` : t.taskId;
}

function serviceLine(t: TaskOutcome): string[] {
  const result = obj(t.result);
  if (!result) return [];
  switch (t.type) {
    case 'bookmark': {
      const objects = obj(result['batch'])?.['objects'];
      return [`${label(t)}: ${Array.isArray(objects) ? objects.length : 0} new object(s) in the batch`];
    }
    case 'dq_check': {
      const quarantine = obj(result['quarantine']);
      const where = quarantine ? ` → ${String(quarantine['source'] ?? '')}` : '';
      return [`${label(t)}: ${String(result['outcome'])}; ${num(result['rows_passed']) ?? 0} row(s) passed, ${num(result['rows_quarantined']) ?? 0} quarantined${where}`];
    }
    case 'load':
      return [`${label(t)}: ${num(result['rows_loaded']) ?? 0} row(s) loaded into ${String(result['table'] ?? '')} (${num(result['rows_inserted']) ?? 0} inserted, ${num(result['rows_updated']) ?? 0} updated)${result['replayed'] === true ? ', a replay of an earlier load' : ''}`];
    default:
      return [];
  }
}

function bookmarkLine(bookmark: Json | undefined): string {
  if (!bookmark) return 'unknown';
  const marks = obj(bookmark['state']);
  const partition = marks?.['partition'] ?? marks?.['last_partition'];
  const parts = [`${String(bookmark['status'] ?? '?')}`, `last committed run ${String(bookmark['last_committed_run_id'] ?? 'none')}`];
  if (partition !== undefined) parts.push(`partition ${String(partition)}`);
  if (bookmark['inflight_run_id']) parts.push(`in flight: ${String(bookmark['inflight_run_id'])}`);
  return parts.join(', ');
}
