/**
 * Assets in the model: the asset condition of a schedule, the outlets of a task, and the
 * warnings about asset URIs (a rewrite Airflow would make; a pipeline that would start itself).
 */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import { canonicalAssetUri, checkAssetUri, warehouseTableUri } from '../spec/asset-uri.js';
import type { SpecPath, SpecSource } from '../spec/source.js';
import type { AssetConditionSpec, LeafTaskSpec, PipelineSpec, ScheduleAssetsSpec } from '../spec/types.js';
import type { SpecEntry } from './flatten.js';
import type { AssetCondition, ScheduleModel, TaskDetails, TaskModel } from './types.js';

/** `assets: [a, b]` means all of them, as Airflow reads a list. */
export function assetsCondition(assets: ScheduleAssetsSpec): AssetCondition {
  return Array.isArray(assets) ? { kind: 'all', of: assets.map(assetCondition) } : assetCondition(assets as AssetConditionSpec);
}

function assetCondition(spec: AssetConditionSpec): AssetCondition {
  if (typeof spec === 'string') return { kind: 'asset', uri: canonicalAssetUri(spec) };
  if ('any' in spec) return { kind: 'any', of: spec.any.map(assetCondition) };
  return { kind: 'all', of: spec.all.map(assetCondition) };
}

/** A task's own outlets; a load without any updates its table's asset. */
export function outletsOf(spec: LeafTaskSpec, details: TaskDetails): readonly string[] {
  if (spec.outlets !== undefined) return spec.outlets.map(canonicalAssetUri);
  return details.type === 'load' ? [warehouseTableUri(details.warehouse, details.table)] : [];
}

/**
 * A URI Airflow would rewrite without losing anything is written as Airflow keeps it, so
 * every spelling names one asset; the spec is told which form that is.
 */
export function warnOfAssetRewrites(source: SpecSource, spec: PipelineSpec, entries: readonly SpecEntry[], report: (d: SpecDiagnostic) => void): void {
  const visit = (value: unknown, path: SpecPath): void => {
    if (typeof value === 'string') {
      const check = checkAssetUri(value);
      if (check.kind === 'rewritten') {
        report({ ...source.diagnostic('asset.rewritten', `${check.why}: asset "${value}" is written "${check.canonical}"; write it so in the spec`, path), severity: 'warning' });
      }
    } else if (Array.isArray(value)) value.forEach((member: unknown, index) => visit(member, [...path, index]));
    else if (value !== null && typeof value === 'object') for (const key of ['any', 'all']) if (key in value) visit((value as Record<string, unknown>)[key], [...path, key]);
  };
  const schedule = spec.schedule;
  if (schedule !== null && typeof schedule === 'object') visit(schedule.assets, ['schedule', 'assets']);
  for (const entry of entries) if (entry.kind === 'task') visit(entry.spec.outlets, [...entry.path, 'outlets']);
}

/** A DAG scheduled on an asset one of its own tasks updates would start itself again after every run. */
export function warnOfSelfTrigger(source: SpecSource, schedule: ScheduleModel, tasks: readonly TaskModel[], report: (d: SpecDiagnostic) => void): void {
  if (schedule.kind !== 'assets' && schedule.kind !== 'assets-or-time') return;
  const scheduledOn = new Set<string>();
  const collect = (condition: AssetCondition): void => (condition.kind === 'asset' ? void scheduledOn.add(condition.uri) : condition.of.forEach(collect));
  collect(schedule.condition);
  for (const task of tasks) {
    for (const uri of task.outlets.filter((outlet) => scheduledOn.has(outlet))) {
      const message = `task "${task.taskId}" updates asset "${uri}", which this pipeline is scheduled on, so every run that succeeds would start another; remove it from the schedule or from the task's outlets (a load's default outlet is removed with outlets: [])`;
      report({ ...source.diagnostic('asset.self-trigger', message, task.path, 'key'), severity: 'warning' });
    }
  }
}
