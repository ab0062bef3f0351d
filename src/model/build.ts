import { isError, type Diagnostic } from '../spec/diagnostics.js';
import { parseCalendarDate, type CalendarDate } from '../spec/calendar-date.js';
import { closest } from '../spec/did-you-mean.js';
import { parseDuration } from '../spec/duration.js';
import { isSchedulePreset, PRESET_CRON, type ScheduleSemantics } from '../spec/cron.js';
import type { SpecSource } from '../spec/source.js';
import type { PipelineSpec, TaskSpec } from '../spec/types.js';
import { assetsCondition, outletsOf, warnOfAssetRewrites, warnOfSelfTrigger } from './assets.js';
import { PYTHON_KEYWORDS } from '../contract/index.js';
import { DEFAULT_AIRFLOW_VERSION, findAirflowTarget, AIRFLOW_TARGETS, type AirflowTarget } from './airflow-target.js';
import { candidateIds, flattenTasks, isInside, type SpecEntry } from './flatten.js';
import { findCycles, reachable, stableTopologicalOrder } from './graph.js';
import { resolveUniformRetry } from './retry.js';
import { checkMaxDelay, retryCodeChecker } from './retry-check.js';
import { inheritSettings } from './group-defaults.js';
import { checkServiceContract } from './contract-check.js';
import { checkRuleset } from './ruleset-check.js';
import { checkLogicalDateTemplates } from './logical-date-check.js';
import { taskDetails } from './task-details.js';
import { ITEM_TEMPLATE } from '../contract/index.js';
import { checkItemReferences, checkServiceItems, describeMapping, MAPPABLE_TASK_TYPES, sameMapping } from './for-each-check.js';
import type { ForEachModel, GroupModel, PipelineModel, ScheduleModel, TaskDetails, TaskModel, TimeScheduleModel } from './types.js';

export interface BuildOptions {
  /** The --airflow override; wins over the spec's own `airflow`. */
  readonly airflowVersion?: string | undefined;
  readonly sourceSha256: string;
}

/** Task types whose operators implement per-error retry policies (docs/service-protocol.md). */
const POLICY_TASK_TYPES = new Set(['bookmark', 'dq_check', 'load', 'http']);
const SERVICE_TASK_TYPES = new Set(['bookmark', 'dq_check', 'load']);
const SENSOR_TASK_TYPES = new Set(['s3_sensor', 'warehouse_available']);

/**
 * Resolves a schema-valid spec into a PipelineModel: defaults applied, references resolved,
 * the graph checked, and the target's capabilities enforced. Collects every problem.
 */
export function buildModel(source: SpecSource, spec: PipelineSpec, options: BuildOptions): { model?: PipelineModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic): void => void diagnostics.push(d);

  const target = resolveTarget(source, spec, options.airflowVersion, report);
  const entries = flattenTasks(spec.tasks);
  const byId = new Map(entries.map((entry) => [entry.id, entry]));

  // References: `after`, `for_each.from`, `input`.
  const resolve = (entry: SpecEntry, reference: string, path: readonly (string | number)[], allowGroups: boolean): string | undefined => {
    const found = candidateIds(reference, entry.groupId).find((id) => byId.has(id));
    if (found === undefined) {
      const visible = entries.map((e) => e.id).flatMap((id) => [id, id.slice(id.lastIndexOf('.') + 1)]);
      const suggestion = closest(reference, visible);
      report(source.diagnostic('graph.unknown-task', `unknown task "${reference}"` + (suggestion ? `; did you mean "${suggestion}"?` : ''), path));
      return undefined;
    }
    if (found === entry.id) {
      report(source.diagnostic('graph.self-dependency', `task "${entry.id}" cannot run after itself`, path));
      return undefined;
    }
    if (isInside(entry.id, found)) {
      report(source.diagnostic('graph.cycle', `"${entry.id}" is inside group "${found}" and cannot run after it`, path));
      return undefined;
    }
    if (!allowGroups && byId.get(found)?.kind === 'group') {
      report(source.diagnostic('task.invalid', `"${reference}" is a group; this field needs a task`, path));
      return undefined;
    }
    return found;
  };

  const upstreamOf = new Map<string, string[]>();
  /** Mapped tasks depend on the task they map over; Airflow draws that edge from the XComArg itself. */
  const mappedFrom = new Map<string, string>();
  const forEachOf = new Map<string, ForEachModel>();
  /** An explicit `input` is read through XCom, so the task also runs after it. */
  const inputOf = new Map<string, string | undefined>();
  for (const entry of entries) {
    const after = (entry.spec.after ?? []).flatMap((reference, index) => {
      const id = resolve(entry, reference, [...entry.path, 'after', index], true);
      return id === undefined ? [] : [id];
    });
    const input = entry.spec['input'];
    if (typeof input === 'string') {
      const id = resolve(entry, input, [...entry.path, 'input'], false);
      inputOf.set(entry.id, id);
      if (id !== undefined && !after.includes(id)) after.push(id);
    }
    const forEach = entry.spec.for_each;
    if (forEach !== undefined) {
      if (!MAPPABLE_TASK_TYPES.has(entry.spec.type)) {
        report(source.diagnostic('for_each.unsupported', `for_each maps ${[...MAPPABLE_TASK_TYPES].join(', ')} tasks; a ${entry.spec.type} task cannot be mapped in v1`, [...entry.path, 'for_each'], 'key'));
      } else if (Array.isArray(forEach)) {
        if (SERVICE_TASK_TYPES.has(entry.spec.type)) for (const d of checkServiceItems(source, entry, forEach, spec.name)) report(d);
        forEachOf.set(entry.id, { kind: 'values', values: forEach as (string | number | boolean)[] });
      } else {
        const spec = forEach as { from: string; max_parallel?: number };
        const from = resolve(entry, spec.from, [...entry.path, 'for_each', 'from'], false);
        if (from !== undefined) {
          forEachOf.set(entry.id, { kind: 'upstream', from, maxParallel: spec.max_parallel });
          mappedFrom.set(entry.id, from);
        }
      }
    }
    upstreamOf.set(entry.id, after);
  }

  // The leaf graph: group references expand to the group's tasks.
  const leaves = entries.filter((entry) => entry.kind === 'task');
  const tasksIn = (id: string): string[] =>
    byId.get(id)?.kind === 'group' ? leaves.filter((leaf) => isInside(leaf.id, id)).map((leaf) => leaf.id) : [id];
  const leafUpstream = new Map<string, Set<string>>();
  for (const leaf of leaves) {
    const ups = new Set<string>();
    const from = mappedFrom.get(leaf.id);
    if (from !== undefined) ups.add(from);
    for (const scope of [leaf.id, ...groupChain(leaf.groupId)]) {
      for (const reference of upstreamOf.get(scope) ?? []) for (const id of tasksIn(reference)) ups.add(id);
    }
    leafUpstream.set(leaf.id, ups);
  }
  const leafDownstream = new Map<string, string[]>(leaves.map((leaf) => [leaf.id, []]));
  for (const [id, ups] of leafUpstream) for (const up of ups) leafDownstream.get(up)?.push(id);

  for (const cycle of findCycles(leaves.map((leaf) => leaf.id), (id) => leafDownstream.get(id) ?? [])) {
    const first = byId.get(cycle[0] ?? '');
    if (first) report(source.diagnostic('graph.cycle', `tasks depend on each other in a cycle: ${cycle.join(' → ')}`, [...first.path, 'after'], 'key'));
  }

  // Defaults, then each task.
  const defaultRetry = resolveUniformRetry(spec.defaults?.retry);
  for (const d of checkMaxDelay(source, spec.defaults?.retry, defaultRetry.backoff, ['defaults', 'retry'])) report(d);
  const defaultTimeout = spec.defaults?.timeout === undefined ? undefined : parseDuration(spec.defaults.timeout);
  const slaSeconds = spec.sla === undefined ? undefined : parseDuration(spec.sla);
  checkSla(source, spec, target, report);
  checkSchedule(source, spec, target, report);
  warnOfAssetRewrites(source, spec, entries, report);
  for (const d of checkLogicalDateTemplates(source, spec, entries, target)) report(d);

  const nearestUpstream = (id: string, types: readonly TaskDetails['type'][]): string | undefined => {
    let frontier = [...(leafUpstream.get(id) ?? [])];
    const seen = new Set<string>();
    while (frontier.length > 0) {
      for (const type of types) {
        const hit = leaves.find((leaf) => frontier.includes(leaf.id) && leaf.spec.type === type);
        if (hit) return hit.id;
      }
      frontier.forEach((f) => seen.add(f));
      frontier = [...new Set(frontier.flatMap((f) => [...(leafUpstream.get(f) ?? [])]))].filter((f) => !seen.has(f));
    }
    return undefined;
  };

  const checkRetryCodes = retryCodeChecker(source, spec.error_codes);
  const groupPoliciesReported = new Set<string>();
  const tasks: TaskModel[] = [];
  const commits: TaskModel[] = [];
  const groups: GroupModel[] = [];
  const takenIds = new Set(entries.map((entry) => entry.id));
  const inheritFor = (entry: SpecEntry) =>
    inheritSettings({
      task: entry.spec,
      groups: groupChain(entry.groupId).map((id) => ({ id, spec: (byId.get(id) as SpecEntry).spec, path: (byId.get(id) as SpecEntry).path })),
      isFirstIn: (groupId) => ![...(leafUpstream.get(entry.id) ?? [])].some((up) => isInside(up, groupId)),
      defaults: { retry: defaultRetry, timeoutSeconds: defaultTimeout, pool: spec.defaults?.pool },
    });
  const checkRetry = (entry: SpecEntry, retry: TaskModel['retry']): void => {
    if (retry.kind === 'uniform') for (const d of checkMaxDelay(source, entry.spec.retry, retry.backoff, [...entry.path, 'retry'])) report(d);
  };
  for (const entry of entries) {
    if (entry.kind === 'group') {
      for (const d of checkRetryCodes(entry.spec.retry, [...entry.path, 'retry'])) report(d);
      checkRetry(entry, inheritFor(entry).retry);
      groups.push({ groupId: entry.id, parentId: entry.groupId, upstream: upstreamOf.get(entry.id) ?? [], doc: entry.spec.doc });
      continue;
    }
    checkTask(source, entry, report);
    for (const d of checkItemReferences(source, entry, forEachOf.has(entry.id))) report(d);
    if (POLICY_TASK_TYPES.has(entry.spec.type)) for (const d of checkRetryCodes(entry.spec.retry, [...entry.path, 'retry'])) report(d);
    const isSensor = SENSOR_TASK_TYPES.has(entry.spec.type);
    const inherited = inheritFor(entry);
    const from = inherited.policiesFrom;
    if (from !== undefined && !POLICY_TASK_TYPES.has(entry.spec.type) && !groupPoliciesReported.has(from.id)) {
      groupPoliciesReported.add(from.id);
      report(
        source.diagnostic(
          'retry.policies-unsupported',
          `group "${from.id}" gives its tasks per-error retry policies, which need a task that reports error codes (${[...POLICY_TASK_TYPES].join(', ')}); its ${entry.spec.type} task "${entry.id}" needs the map form {attempts, delay, backoff, max_delay}, on the group or on the task`,
          [...from.path, 'retry'],
          'key',
        ),
      );
    }
    const ownTimeout = inherited.timeoutSeconds;
    const details = taskDetails(entry.spec, {
      dagId: spec.name,
      taskId: entry.id,
      sensorTimeoutSeconds: ownTimeout ?? defaultTimeout,
      mapped: forEachOf.has(entry.id),
      isMapped: (id) => forEachOf.has(id),
      inputTaskId: (explicit, preferred) => {
        if (explicit !== undefined) return inputOf.get(entry.id);
        const found = nearestUpstream(entry.id, preferred);
        if (found === undefined) {
          report(source.diagnostic('task.invalid', `a ${entry.spec.type} task needs data: set "input" to an upstream ${preferred.join(' or ')} task` + (entry.spec.type === 'dq_check' ? ', or set "dataset"' : ', or set "source"') + ', or run it after one', entry.path, 'key'));
        }
        return found;
      },
    });
    const retry = inherited.retry;
    if (isSensor && entry.spec.retry !== undefined) {
      report({
        ...source.diagnostic(
          'retry.ignored-on-sensor',
          `a ${entry.spec.type} task is never retried: its timeout is how long it waits in all, on every Airflow version; remove retry, or lengthen timeout`,
          [...entry.path, 'retry'],
          'key',
        ),
        severity: 'warning',
      });
    } else checkRetry(entry, retry);
    const isSink = (leafDownstream.get(entry.id) ?? []).length === 0 && !(entry.spec.type === 'bookmark');
    tasks.push({
      taskId: entry.id,
      groupId: entry.groupId,
      path: entry.path,
      doc: entry.spec.doc,
      upstream: upstreamOf.get(entry.id) ?? [],
      retry,
      executionTimeoutSeconds: isSensor ? undefined : (ownTimeout ?? defaultTimeout),
      pool: inherited.pool,
      poolSlots: inherited.poolSlots,
      triggerRule: inherited.triggerRule,
      forEach: forEachOf.get(entry.id),
      slaSeconds: target.supportsSla && isSink ? slaSeconds : undefined,
      outlets: outletsOf(entry.spec, details),
      details,
    });
    if ((details.type === 'dq_check' || details.type === 'load') && details.inputTaskId !== undefined) {
      checkMappedInput(entry, details.inputTaskId, details.type === 'load' ? 'source' : 'dataset');
    }
    if (details.type === 'bookmark') {
      const commit = commitTask({ entry, forEach: forEachOf.get(entry.id), bookmark: details.bookmark, connection: details.connection, leafIds: leaves.map((leaf) => leaf.id), downstream: leafDownstream, groupChain, retry });
      if (takenIds.has(commit.taskId)) {
        report(source.diagnostic('graph.duplicate-task-id', `"${commit.taskId}" is the id dagwright gives the commit task of bookmark "${entry.id}"; rename this task`, byId.get(commit.taskId)?.path ?? entry.path, 'key'));
      }
      takenIds.add(commit.taskId);
      commits.push({ ...commit, executionTimeoutSeconds: defaultTimeout, pool: spec.defaults?.pool, slaSeconds: target.supportsSla ? slaSeconds : undefined });
    }
  }

  for (const d of checkServiceContract(source, tasks)) report(d);
  warnOfSelfTrigger(source, scheduleModel(spec), tasks, report);
  if (diagnostics.some(isError)) return { diagnostics };
  const ordered = [...orderForDefinition(tasks, forEachOf), ...commits];
  return {
    model: {
      sourceFile: source.file,
      sourceSha256: options.sourceSha256,
      dagId: spec.name,
      description: spec.description,
      owner: spec.owner ?? 'airflow',
      tags: spec.tags ?? [],
      schedule: scheduleModel(spec),
      // Schema validation has already rejected a start_date that is not a calendar day.
      startDate: parseCalendarDate(spec.start_date) as CalendarDate,
      timezone: spec.timezone ?? 'UTC',
      catchup: spec.catchup ?? false,
      maxActiveRuns: spec.max_active_runs,
      maxActiveTasks: spec.max_active_tasks,
      target,
      defaults: { retry: defaultRetry, executionTimeoutSeconds: defaultTimeout, pool: spec.defaults?.pool },
      slaSeconds,
      onFailure: spec.on_failure ? { snsTopicArn: spec.on_failure.sns, awsConnId: spec.on_failure.aws_conn_id } : undefined,
      groups,
      tasks: ordered,
    },
    diagnostics,
  };

  /**
   * A task reading a mapped task's batch reads the copy with its own map index, so it must be
   * mapped over the same items: an unmapped one would not know which batch to read.
   */
  function checkMappedInput(entry: SpecEntry, inputId: string, directField: string): void {
    const upstream = forEachOf.get(inputId);
    const own = forEachOf.get(entry.id);
    if (upstream === undefined && own !== undefined && entry.spec.type === 'load') {
      // A load takes its item only in `source`: every copy would load the one batch into the same table.
      report(
        source.diagnostic(
          'for_each.mapped-input',
          `every copy of this load would load the same batch of "${inputId}" (it is not mapped) into the same table, once per item; map "${inputId}" the same way, give the load a source with {{ item }}, or drop for_each`,
          [...entry.path, 'for_each'],
          'key',
        ),
      );
      return;
    }
    if (upstream === undefined || sameMapping(own, upstream)) return;
    const mapping = describeMapping(upstream);
    report(
      source.diagnostic(
        'for_each.mapped-input',
        `this ${entry.spec.type} reads the batch of "${inputId}", which is mapped (for_each: ${mapping}); each copy reads the batch of the copy with its own item, so map this task the same way (for_each: ${mapping})` +
          (own === undefined ? '' : `, not ${describeMapping(own)}`) +
          `, or give it a ${directField} to read instead`,
        own === undefined ? entry.path : [...entry.path, 'for_each'],
        'key',
      ),
    );
  }

  function groupChain(groupId: string | undefined): string[] {
    const chain: string[] = [];
    for (let scope = groupId; scope !== undefined; scope = byId.get(scope)?.groupId) chain.push(scope);
    return chain;
  }
}

interface CommitOptions {
  readonly entry: SpecEntry;
  /** A mapped bookmark's commit is mapped the same way: copy i commits bookmark copy i's run. */
  readonly forEach: ForEachModel | undefined;
  readonly bookmark: string;
  readonly connection: string | undefined;
  /** Every task of the spec, in definition order. */
  readonly leafIds: readonly string[];
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  /** The groups around a group, innermost first (the group itself included). */
  readonly groupChain: (groupId: string | undefined) => string[];
  readonly retry: TaskModel['retry'];
}

/**
 * The commit task of a bookmark: it runs once the bookmark and every task after it have
 * succeeded or skipped (an empty batch skips dq and load). It waits on every one of them, not
 * only the last: a task that runs whatever happened before it (`all_done`, `one_failed`, ...)
 * must not hide a failed load, or the batch would be committed and never loaded.
 *
 * It sits in the innermost group that holds all of those tasks: a group's last tasks are the
 * ones with nothing after them inside it, so a commit left in a group that something runs
 * after would become one of its last tasks, upstream of a task it waits on (a cycle).
 */
function commitTask(options: CommitOptions): Omit<TaskModel, 'executionTimeoutSeconds' | 'pool' | 'slaSeconds'> {
  const { entry, bookmark, downstream } = options;
  const descendants = reachable(entry.id, (id) => downstream.get(id) ?? []);
  const handled = options.leafIds.filter((id) => id === entry.id || descendants.has(id));
  const groupId = options.groupChain(entry.groupId).find((group) => handled.every((id) => isInside(id, group)));
  const name = (groupId === undefined ? entry.id : entry.id.slice(groupId.length + 1)).replaceAll('.', '_');
  return {
    taskId: `${groupId === undefined ? '' : `${groupId}.`}${name}_commit`,
    groupId,
    path: entry.path,
    doc:
      options.forEach === undefined
        ? `Commits bookmark ${bookmark} once ${entry.id} and the tasks after it have succeeded (or skipped an empty batch).`
        : `Commits the bookmark of each copy of ${entry.id} (${bookmark.replace(ITEM_TEMPLATE, '<item>')}) once every copy of ${entry.id} and of the tasks after it has succeeded (or skipped).`,
    upstream: handled,
    retry: options.retry,
    poolSlots: undefined,
    triggerRule: 'none_failed',
    forEach: options.forEach,
    outlets: [],
    details: { type: 'bookmark_commit', bookmark, connection: options.connection },
  };
}

function resolveTarget(source: SpecSource, spec: PipelineSpec, override: string | undefined, report: (d: Diagnostic) => void): AirflowTarget {
  const version = override ?? spec.airflow ?? DEFAULT_AIRFLOW_VERSION;
  const target = findAirflowTarget(version);
  if (target) return target;
  const known = AIRFLOW_TARGETS.map((t) => t.version).join(', ');
  report(
    override !== undefined
      ? { code: 'airflow.unknown-version', message: `--airflow ${override} is not a version dagwright targets (${known})`, file: source.file, pos: [0, 0] }
      : source.diagnostic('airflow.unknown-version', `Airflow ${version} is not a version dagwright targets (${known})`, ['airflow']),
  );
  return AIRFLOW_TARGETS[0] as AirflowTarget;
}

function checkSla(source: SpecSource, spec: PipelineSpec, target: AirflowTarget, report: (d: Diagnostic) => void): void {
  if (spec.sla === undefined || target.supportsDeadlineAlerts) return;
  const schedule = scheduleModel(spec);
  // With assets or time, 2.x checks against the time schedule's next run.
  if (target.supportsSla && (schedule.kind === 'cron' || schedule.kind === 'every' || schedule.kind === 'assets-or-time')) return;
  if (target.supportsSla) {
    // 2.x checks SLAs against the timetable's next run (DagFileProcessor.manage_slas), which
    // a null, @once, @continuous or asset schedule does not have: the SLA would never fire.
    report(
      source.diagnostic(
        'airflow.unsupported-feature',
        `Airflow ${target.version} checks an sla only against a periodic schedule (a cron, a preset or every, with or without assets), so with this schedule it would never fire; target 3.1+ (a deadline counted from when the run is queued), or remove sla`,
        ['sla'],
        'key',
      ),
    );
    return;
  }
  report(
    source.diagnostic(
      'airflow.unsupported-feature',
      `Airflow ${target.version} has neither SLAs (removed in 3.0) nor deadline alerts (added in 3.1), so this sla cannot be kept; target 2.10, 2.11 or 3.1+, or remove sla`,
      ['sla'],
      'key',
    ),
  );
}

function checkTask(source: SpecSource, entry: SpecEntry, report: (d: Diagnostic) => void): void {
  const spec: TaskSpec = entry.spec;
  if (Array.isArray(spec.retry) && !POLICY_TASK_TYPES.has(spec.type)) {
    report(
      source.diagnostic(
        'retry.policies-unsupported',
        `per-error retry policies need a task that reports error codes (${[...POLICY_TASK_TYPES].join(', ')}); a ${spec.type} task takes the map form {attempts, delay, backoff, max_delay}`,
        [...entry.path, 'retry'],
        'key',
      ),
    );
  }
  if (spec.type === 'load') {
    const mode = spec['mode'];
    const keys = spec['keys'] as unknown[] | undefined;
    if (mode === 'merge' && (keys === undefined || keys.length === 0)) {
      report(source.diagnostic('task.invalid', 'mode merge needs "keys": the columns that identify a row', [...entry.path, 'mode']));
    }
    if (mode !== 'merge' && keys !== undefined) {
      report(source.diagnostic('task.invalid', `"keys" only applies to mode merge, not ${String(mode)}`, [...entry.path, 'keys'], 'key'));
    }
  }
  if (spec.type === 'load' && spec['source'] !== undefined && spec['input'] !== undefined) {
    report(source.diagnostic('task.invalid', 'a load reads either its source or the batch of its input, not both', [...entry.path, 'source'], 'key'));
  }
  if (spec.type === 'load' && spec['aws_conn_id'] !== undefined && spec['source'] === undefined) {
    report(source.diagnostic('task.invalid', 'aws_conn_id lists the source; a load without source reads an upstream batch', [...entry.path, 'aws_conn_id'], 'key'));
  }
  if (spec.type === 'dq_check' && typeof spec['ruleset'] === 'string') {
    for (const d of checkRuleset(source, [...entry.path, 'ruleset'], spec['ruleset'])) report(d);
  }
  if (spec.type === 'python') {
    const path = String(spec['callable']);
    const bad = path.split(/[.:]/).find((part) => PYTHON_KEYWORDS.has(part));
    if (bad !== undefined) report(source.diagnostic('spec.bad-value', `"${bad}" is a Python keyword and cannot be part of an import path`, [...entry.path, 'callable']));
  }
}

/** Schema validation has checked every cron and preset; a preset here is periodic unless written bare. */
function scheduleModel(spec: PipelineSpec): ScheduleModel {
  const schedule = spec.schedule;
  if (schedule === null) return { kind: 'none' };
  const cronModel = (text: string, semantics: ScheduleSemantics): ScheduleModel => {
    if (!isSchedulePreset(text)) return { kind: 'cron', cron: text.trim().split(/\s+/).join(' '), semantics };
    const cron = PRESET_CRON[text];
    return cron === undefined ? { kind: 'preset', preset: text as '@once' | '@continuous' } : { kind: 'cron', cron, semantics };
  };
  if (typeof schedule === 'string') return cronModel(schedule, 'interval');
  let time: ScheduleModel | undefined;
  if ('cron' in schedule) time = cronModel(schedule.cron, schedule.semantics ?? 'interval');
  else if ('every' in schedule) time = { kind: 'every', seconds: parseDuration(schedule.every) ?? 0, semantics: schedule.semantics ?? 'interval' };
  if (schedule.assets === undefined) return time ?? { kind: 'none' };
  const condition = assetsCondition(schedule.assets);
  // The map form takes periodic schedules only (validation rejects @once and @continuous there).
  return time === undefined ? { kind: 'assets', condition } : { kind: 'assets-or-time', condition, time: time as TimeScheduleModel };
}

function checkSchedule(source: SpecSource, spec: PipelineSpec, target: AirflowTarget, report: (d: Diagnostic) => void): void {
  const schedule = spec.schedule;
  if (schedule === null || typeof schedule !== 'object' || !('every' in schedule) || schedule.semantics !== 'trigger') return;
  if (target.supportsDeltaTriggerTimetable) return;
  report(
    source.diagnostic(
      'airflow.unsupported-feature',
      `Airflow ${target.version} has no DeltaTriggerTimetable (added in 2.11), so {every, semantics: trigger} cannot be kept; target 2.11 or later, use a cron with semantics: trigger, or remove semantics`,
      ['schedule', 'semantics'],
    ),
  );
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
