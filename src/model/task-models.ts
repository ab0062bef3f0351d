/**
 * Each task and group of the spec as the model's TaskModel or GroupModel: its settings
 * resolved, its own checks run, and a commit task added after every bookmark.
 */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecSource } from '../spec/source.js';
import type { PipelineSpec } from '../spec/types.js';
import type { AirflowTarget } from './airflow-target.js';
import { outletsOf } from './assets.js';
import { commitTask } from './commit-task.js';
import { settingsOf, type PipelineDefaults } from './defaults.js';
import { groupChain, type SpecEntry } from './flatten.js';
import { checkItemReferences, checkMappedInput } from './for-each-check.js';
import type { GroupScope } from './group-defaults.js';
import { nearestUpstream, type LeafGraph } from './leaf-graph.js';
import type { References } from './references.js';
import { checkMaxDelay, POLICY_TASK_TYPES, retryCodeChecker } from './retry-check.js';
import { taskDetails } from './task-details.js';
import { checkTask } from './task-check.js';
import type { GroupModel, TaskModel } from './types.js';

const SENSOR_TASK_TYPES = new Set(['s3_sensor', 'warehouse_available']);

export interface TaskScope {
  readonly source: SpecSource;
  readonly spec: PipelineSpec;
  readonly target: AirflowTarget;
  /** Every task and group of the spec, in definition order. */
  readonly entries: readonly SpecEntry[];
  readonly byId: ReadonlyMap<string, SpecEntry>;
  readonly references: References;
  readonly graph: LeafGraph;
  readonly defaults: PipelineDefaults;
  /** The run-level sla, in seconds. */
  readonly slaSeconds: number | undefined;
}

export interface TaskModels {
  /** The spec's tasks, in definition order. */
  readonly tasks: TaskModel[];
  /** The commit task of each bookmark, in the order of their bookmarks. */
  readonly commits: TaskModel[];
  readonly groups: GroupModel[];
  readonly diagnostics: SpecDiagnostic[];
}

export function buildTaskModels(scope: TaskScope): TaskModels {
  const { source, spec, target, entries, byId, references, graph, defaults, slaSeconds } = scope;
  const { forEachOf, inputOf, upstreamOf } = references;
  const diagnostics: SpecDiagnostic[] = [];
  const report = (d: SpecDiagnostic): void => void diagnostics.push(d);
  const checkRetryCodes = retryCodeChecker(source, spec.error_codes);
  const groupPoliciesReported = new Set<string>();
  const tasks: TaskModel[] = [];
  const commits: TaskModel[] = [];
  const groups: GroupModel[] = [];
  const takenIds = new Set(entries.map((entry) => entry.id));
  for (const entry of entries) {
    if (entry.kind === 'group') {
      diagnostics.push(...checkRetryCodes(entry.spec.retry, [...entry.path, 'retry']));
      diagnostics.push(...checkUniformRetry(source, entry, settingsOf(entry, scope).retry));
      groups.push({ groupId: entry.id, parentId: entry.groupId, upstream: upstreamOf.get(entry.id) ?? [], doc: entry.spec.doc });
      continue;
    }
    diagnostics.push(...checkTask(source, entry));
    diagnostics.push(...checkItemReferences(source, entry, forEachOf.has(entry.id)));
    if (POLICY_TASK_TYPES.has(entry.spec.type)) diagnostics.push(...checkRetryCodes(entry.spec.retry, [...entry.path, 'retry']));
    const isSensor = SENSOR_TASK_TYPES.has(entry.spec.type);
    const inherited = settingsOf(entry, scope);
    const from = inherited.policiesFrom;
    if (from !== undefined && !POLICY_TASK_TYPES.has(entry.spec.type) && !groupPoliciesReported.has(from.id)) {
      groupPoliciesReported.add(from.id);
      report(groupPoliciesUnsupported(source, entry, from));
    }
    const ownTimeout = inherited.timeoutSeconds;
    const details = taskDetails(entry.spec, {
      dagId: spec.name,
      taskId: entry.id,
      sensorTimeoutSeconds: ownTimeout ?? defaults.timeoutSeconds,
      mapped: forEachOf.has(entry.id),
      isMapped: (id) => forEachOf.has(id),
      inputTaskId: (explicit, preferred) => {
        if (explicit !== undefined) return inputOf.get(entry.id);
        const found = nearestUpstream(graph, entry.id, preferred);
        // An `after` naming a task that does not exist is reported on its own (graph.unknown-task);
        // once it names the intended one, that may be the data this task needs.
        const afterUnknown = (entry.spec.after ?? []).some((id) => !byId.has(id));
        if (found === undefined && !afterUnknown) {
          report(source.diagnostic('task.invalid', `a ${entry.spec.type} task needs data: set "input" to an upstream ${preferred.join(' or ')} task` + (entry.spec.type === 'dq_check' ? ', or set "dataset"' : ', or set "source"') + ', or run it after one', entry.path, 'key'));
        }
        return found;
      },
    });
    const retry = inherited.retry;
    if (isSensor && entry.spec.retry !== undefined) report(sensorRetryIgnored(source, entry));
    else diagnostics.push(...checkUniformRetry(source, entry, retry));
    const isSink = (graph.downstream.get(entry.id) ?? []).length === 0 && !(entry.spec.type === 'bookmark');
    tasks.push({
      taskId: entry.id,
      groupId: entry.groupId,
      path: entry.path,
      doc: entry.spec.doc,
      upstream: upstreamOf.get(entry.id) ?? [],
      retry,
      executionTimeoutSeconds: isSensor ? undefined : (ownTimeout ?? defaults.timeoutSeconds),
      pool: inherited.pool,
      poolSlots: inherited.poolSlots,
      triggerRule: inherited.triggerRule,
      forEach: forEachOf.get(entry.id),
      slaSeconds: target.supportsSla && isSink ? slaSeconds : undefined,
      outlets: outletsOf(entry.spec, details),
      details,
    });
    if ((details.type === 'dq_check' || details.type === 'load') && details.inputTaskId !== undefined) {
      diagnostics.push(...checkMappedInput(source, entry, details.inputTaskId, details.type === 'load' ? 'source' : 'dataset', forEachOf));
    }
    if (details.type === 'bookmark') {
      const commit = commitTask({
        entry,
        forEach: forEachOf.get(entry.id),
        bookmark: details.bookmark,
        connection: details.connection,
        leafIds: graph.leaves.map((leaf) => leaf.id),
        downstream: graph.downstream,
        groupChain: groupChain(byId, entry.groupId),
        retry,
      });
      if (takenIds.has(commit.taskId)) {
        report(source.diagnostic('graph.duplicate-task-id', `"${commit.taskId}" is the id dagwright gives the commit task of bookmark "${entry.id}"; rename this task`, byId.get(commit.taskId)?.path ?? entry.path, 'key'));
      }
      takenIds.add(commit.taskId);
      // The bookmark's retry and timeout (a quick call to the same service), but the pipeline's
      // pool: a group's pool bounds the group's work, and the commit may sit outside the group.
      commits.push({ ...commit, executionTimeoutSeconds: ownTimeout ?? defaults.timeoutSeconds, pool: defaults.pool, slaSeconds: target.supportsSla ? slaSeconds : undefined });
    }
  }
  return { tasks, commits, groups, diagnostics };
}

function checkUniformRetry(source: SpecSource, entry: SpecEntry, retry: TaskModel['retry']): SpecDiagnostic[] {
  return retry.kind === 'uniform' ? checkMaxDelay(source, entry.spec.retry, retry.backoff, [...entry.path, 'retry']) : [];
}

function groupPoliciesUnsupported(source: SpecSource, entry: SpecEntry, group: GroupScope): SpecDiagnostic {
  return source.diagnostic(
    'retry.policies-unsupported',
    `group "${group.id}" gives its tasks per-error retry policies, which need a task that reports error codes (${[...POLICY_TASK_TYPES].join(', ')}); its ${entry.spec.type} task "${entry.id}" needs the map form {attempts, delay, backoff, max_delay}, on the group or on the task`,
    [...group.path, 'retry'],
    'key',
  );
}

function sensorRetryIgnored(source: SpecSource, entry: SpecEntry): SpecDiagnostic {
  return {
    ...source.diagnostic(
      'retry.ignored-on-sensor',
      `a ${entry.spec.type} task is never retried: its timeout is how long it waits in all, on every Airflow version; remove retry, or lengthen timeout`,
      [...entry.path, 'retry'],
      'key',
    ),
    severity: 'warning',
  };
}
