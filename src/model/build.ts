/**
 * A schema-valid spec → PipelineModel, in stages: the Airflow target, the references between
 * tasks, the leaf graph (checked for cycles), the defaults, then each task and group.
 */
import { isError } from '../diagnostics/diagnostic.js';
import { type SpecDiagnostic } from '../spec/diagnostics.js';
import { parseCalendarDate, type CalendarDate } from '../spec/calendar-date.js';
import { parseDuration } from '../spec/duration.js';
import type { SpecSource } from '../spec/source.js';
import type { PipelineSpec } from '../spec/types.js';
import { warnOfAssetRewrites, warnOfSelfTrigger } from './assets.js';
import { checkServiceContract } from './contract-check.js';
import { buildTaskGraph } from './task-graph.js';
import { resolveDefaults } from './defaults.js';
import { stableTopologicalOrder } from './graph.js';
import { checkLogicalDateTemplates } from './logical-date-check.js';
import { scheduleModel } from './schedule.js';
import { checkSchedule, checkSla, resolveTarget } from './target-checks.js';
import { buildTaskModels } from './task-models.js';
import type { ForEachModel, PipelineModel, TaskModel } from './types.js';

export interface BuildOptions {
  /** The --airflow override; wins over the spec's own `airflow`. */
  readonly airflowVersion?: string | undefined;
  readonly sourceSha256: string;
}

/**
 * Resolves a schema-valid spec into a PipelineModel: defaults applied, references resolved,
 * the graph checked, and the target's capabilities enforced. Collects every problem.
 */
export function buildModel(source: SpecSource, spec: PipelineSpec, options: BuildOptions): { model?: PipelineModel; diagnostics: SpecDiagnostic[] } {
  const diagnostics: SpecDiagnostic[] = [];
  const report = (d: SpecDiagnostic): void => void diagnostics.push(d);

  const { target, diagnostics: targetDiagnostics } = resolveTarget(source, spec, options.airflowVersion);
  diagnostics.push(...targetDiagnostics);
  const { entries, byId, references, graph, diagnostics: graphDiagnostics } = buildTaskGraph(source, spec);
  diagnostics.push(...graphDiagnostics);

  const { defaults, diagnostics: defaultDiagnostics } = resolveDefaults(source, spec);
  diagnostics.push(...defaultDiagnostics);
  const slaSeconds = spec.sla === undefined ? undefined : parseDuration(spec.sla);
  diagnostics.push(...checkSla(source, spec, target), ...checkSchedule(source, spec, target));
  warnOfAssetRewrites(source, spec, entries, report);
  diagnostics.push(...checkLogicalDateTemplates(source, spec, entries, target));

  const { tasks, commits, groups, diagnostics: taskDiagnostics } = buildTaskModels({ source, spec, target, entries, byId, references, graph, defaults, slaSeconds });
  diagnostics.push(...taskDiagnostics);
  diagnostics.push(...checkServiceContract(source, tasks));
  warnOfSelfTrigger(source, scheduleModel(spec), tasks, report);
  if (diagnostics.some(isError)) return { diagnostics };
  const ordered = [...orderForDefinition(tasks, references.forEachOf), ...commits];
  return {
    model: {
      sourceFile: source.file,
      sourceSha256: options.sourceSha256,
      dagId: spec.name,
      description: spec.description,
      owner: spec.owner,
      tags: spec.tags,
      schedule: scheduleModel(spec),
      // Schema validation has already rejected a start_date that is not a calendar day.
      startDate: parseCalendarDate(spec.start_date) as CalendarDate,
      timezone: spec.timezone,
      catchup: spec.catchup,
      maxActiveRuns: spec.max_active_runs,
      maxActiveTasks: spec.max_active_tasks,
      target,
      defaults: { retry: defaults.retry, executionTimeoutSeconds: defaults.timeoutSeconds, pool: defaults.pool },
      slaSeconds,
      onFailure: spec.on_failure ? { snsTopicArn: spec.on_failure.sns, awsConnId: spec.on_failure.aws_conn_id } : undefined,
      groups,
      tasks: ordered,
    },
    diagnostics,
  };
}

/** Tasks mapped over another task's output must be defined after it; otherwise spec order. */
function orderForDefinition(tasks: readonly TaskModel[], forEach: ReadonlyMap<string, ForEachModel>): TaskModel[] {
  const byId = new Map(tasks.map((task) => [task.taskId, task]));
  const order = stableTopologicalOrder(
    tasks.map((task) => task.taskId),
    (id) => {
      const mapping = forEach.get(id);
      return mapping?.kind === 'upstream' ? [mapping.from] : [];
    },
  );
  return order.map((id) => byId.get(id) as TaskModel);
}
