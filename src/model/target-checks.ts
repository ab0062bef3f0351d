/** The Airflow version a spec targets, and what the spec asks that this version cannot do. */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecSource } from '../spec/source.js';
import type { PipelineSpec } from '../spec/types.js';
import { AIRFLOW_TARGETS, DEFAULT_AIRFLOW_VERSION, findAirflowTarget, type AirflowTarget } from './airflow-target.js';
import { scheduleModel } from './schedule.js';

/** The --airflow override wins over the spec's own `airflow`; an unknown version falls back to the first target, with an error. */
export function resolveTarget(source: SpecSource, spec: PipelineSpec, override: string | undefined): { target: AirflowTarget; diagnostics: SpecDiagnostic[] } {
  const version = override ?? spec.airflow ?? DEFAULT_AIRFLOW_VERSION;
  const target = findAirflowTarget(version);
  if (target) return { target, diagnostics: [] };
  const known = AIRFLOW_TARGETS.map((t) => t.version).join(', ');
  const diagnostic: SpecDiagnostic =
    override !== undefined
      ? { code: 'airflow.unknown-version', message: `--airflow ${override} is not a version dagwright targets (${known})`, file: source.file, pos: [0, 0] }
      : source.diagnostic('airflow.unknown-version', `Airflow ${version} is not a version dagwright targets (${known})`, ['airflow']);
  return { target: AIRFLOW_TARGETS[0] as AirflowTarget, diagnostics: [diagnostic] };
}

export function checkSla(source: SpecSource, spec: PipelineSpec, target: AirflowTarget): SpecDiagnostic[] {
  if (spec.sla === undefined || target.supportsDeadlineAlerts) return [];
  const schedule = scheduleModel(spec);
  // With assets or time, 2.x checks against the time schedule's next run.
  if (target.supportsSla && (schedule.kind === 'cron' || schedule.kind === 'every' || schedule.kind === 'assets-or-time')) return [];
  if (target.supportsSla) {
    // 2.x checks SLAs against the timetable's next run (DagFileProcessor.manage_slas), which
    // a null, @once, @continuous or asset schedule does not have: the SLA would never fire.
    return [
      source.diagnostic(
        'airflow.unsupported-feature',
        `Airflow ${target.version} checks an sla only against a periodic schedule (a cron, a preset or every, with or without assets), so with this schedule it would never fire; target 3.1+ (a deadline counted from when the run is queued), or remove sla`,
        ['sla'],
        'key',
      ),
    ];
  }
  return [
    source.diagnostic(
      'airflow.unsupported-feature',
      `Airflow ${target.version} has neither SLAs (removed in 3.0) nor deadline alerts (added in 3.1), so this sla cannot be kept; target 2.10, 2.11 or 3.1+, or remove sla`,
      ['sla'],
      'key',
    ),
  ];
}

export function checkSchedule(source: SpecSource, spec: PipelineSpec, target: AirflowTarget): SpecDiagnostic[] {
  const schedule = spec.schedule;
  if (schedule === null || typeof schedule !== 'object' || !('every' in schedule) || schedule.semantics !== 'trigger') return [];
  if (target.supportsDeltaTriggerTimetable) return [];
  return [
    source.diagnostic(
      'airflow.unsupported-feature',
      `Airflow ${target.version} has no DeltaTriggerTimetable (added in 2.11), so {every, semantics: trigger} cannot be kept; target 2.11 or later, use a cron with semantics: trigger, or remove semantics`,
      ['schedule', 'semantics'],
    ),
  ];
}
