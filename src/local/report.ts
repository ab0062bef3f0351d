/** The report a person reads after `dagwright local run`. */
import type { RunReport, TaskOutcome } from './run.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

export function formatRunReport(report: RunReport): string {
  const replayedSince = report.rerun ? Date.parse(report.startedAt) : undefined;
  const lines = [`${report.dagId} run ${report.runId}: ${report.state.toUpperCase()} in ${report.seconds} s`, ''];
  const width = Math.max(4, ...report.tasks.map((t) => label(t).length));
  lines.push(`  ${'task'.padEnd(width)}  ${'state'.padEnd(15)} tries  duration`);
  for (const t of report.tasks) {
    // Airflow reports a negative duration for some deferred tasks (start_date reset on resume).
    const duration = t.durationSeconds === null || t.durationSeconds < 0 ? '' : `${t.durationSeconds.toFixed(1)} s`;
    lines.push(`  ${label(t).padEnd(width)}  ${(t.state ?? 'none').padEnd(15)} ${String(t.tries).padStart(5)}  ${duration}`);
  }
  const services = report.tasks.flatMap((t) => serviceLine(t, replayedSince));
  if (services.length > 0) lines.push('', '  what the services did:', ...services.map((l) => `    ${l}`));
  for (const [name, bookmark] of Object.entries(report.bookmarks)) lines.push(`    bookmark ${name}: ${bookmarkLine(obj(bookmark))}`);
  return lines.join('\n');
}

function label(t: TaskOutcome): string {
  return t.mapIndex >= 0 ? `${t.taskId}[${t.mapIndex}]` : t.taskId;
}

function serviceLine(t: TaskOutcome, rerunStartedAt: number | undefined): string[] {
  const result = obj(t.result);
  if (!result) return [];
  switch (t.type) {
    case 'bookmark': {
      const objects = obj(result['batch'])?.['objects'];
      return [`${label(t)}: ${Array.isArray(objects) ? objects.length : 0} new object(s) in the batch`];
    }
    case 'dq_check': {
      const quarantined = num(result['rows_quarantined']) ?? 0;
      const where = quarantined > 0 ? ` → ${String(obj(result['quarantine'])?.['source'] ?? '')}` : '';
      const verdict = result['outcome'] === 'passed' ? 'every rule passed' : quarantined > 0 ? 'rules failed on some rows' : 'rules failed';
      return [`${label(t)}: ${verdict}; ${num(result['rows_passed']) ?? 0} row(s) passed, ${quarantined} quarantined${where}`];
    }
    case 'load': {
      // A load committed before this rerun began was replayed: the loader wrote nothing now.
      const committedAt = typeof result['committed_at'] === 'string' ? Date.parse(result['committed_at']) : NaN;
      if (result['replayed'] === true || (rerunStartedAt !== undefined && committedAt < rerunStartedAt)) {
        return [`${label(t)}: nothing written: this batch was loaded before (${num(result['rows_loaded']) ?? 0} row(s) at ${String(result['committed_at'])})`];
      }
      return [`${label(t)}: ${num(result['rows_loaded']) ?? 0} row(s) loaded into ${String(result['table'] ?? '')} (${num(result['rows_inserted']) ?? 0} inserted, ${num(result['rows_updated']) ?? 0} updated)`];
    }
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
