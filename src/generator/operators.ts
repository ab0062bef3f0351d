/**
 * Each task of the model as the Python expression that builds its Airflow operator.
 * Only the arguments that differ from the DAG's default_args are written per task.
 */
import type { AirflowTarget } from '../model/airflow-target.js';
import { infrastructureRetry } from '../model/retry.js';
import type { PipelineModel, RetryPolicy, TaskDetails, TaskModel, UniformRetry } from '../model/types.js';
import { assetExpr } from './assets.js';
import type { ImportSet } from './imports.js';
import { bool, call, code, json, list, method, none, num, optionalStr, str, type PyExpr, type PyKwarg } from './python/expr.js';
import { timedeltaExpr } from './python/timedelta.js';

const OPERATORS = 'dagwright_airflow';

export interface OperatorContext {
  readonly model: PipelineModel;
  readonly imports: ImportSet;
  /** The variable name of a task or group. */
  readonly variable: (id: string) => string;
}

/** The operator expression for a task: `Operator(...)`, or `Operator.partial(...).expand(...)` when mapped. */
export function operatorExpr(task: TaskModel, context: OperatorContext): PyExpr {
  const { operator, kwargs, mapped } = operatorParts(task, context);
  const all: PyKwarg[] = [['task_id', str(localId(task.taskId))], ...kwargs, ...commonKwargs(task, context)];
  if (task.forEach === undefined || mapped === undefined) return call(operator, all);
  const partialKwargs = task.forEach.kind === 'upstream' && task.forEach.maxParallel !== undefined
    ? [...all, ['max_active_tis_per_dagrun', num(task.forEach.maxParallel)] as const]
    : all;
  return method(call(`${operator}.partial`, partialKwargs), 'expand', [[mapped.field, mapped.values]]);
}

function localId(taskId: string): string {
  return taskId.slice(taskId.lastIndexOf('.') + 1);
}

interface OperatorParts {
  readonly operator: string;
  readonly kwargs: PyKwarg[];
  /** The argument expanded over for_each, with the expression of its values. */
  readonly mapped?: { readonly field: string; readonly values: PyExpr } | undefined;
}

function operatorParts(task: TaskModel, context: OperatorContext): OperatorParts {
  const { imports, model } = context;
  const target = model.target;
  const details: TaskDetails = task.details;
  const inputFrom = (id: string | undefined, mapped: boolean): PyKwarg[] => [
    ...optionalStr('input_task_id', id),
    ...(mapped ? [['input_mapped', bool(true)] as const] : []),
  ];
  const itemMapping = (): OperatorParts['mapped'] => serviceItems(task, context);
  switch (details.type) {
    case 's3_sensor':
      return {
        operator: imports.from('airflow.providers.amazon.aws.sensors.s3', 'S3KeySensor', 'third_party'),
        kwargs: [
          ['bucket_name', str(details.bucket)],
          ['bucket_key', str(details.key)],
          ...(details.wildcard ? [['wildcard_match', bool(true)] as const] : []),
          ...optionalStr('aws_conn_id', details.awsConnId),
          ...sensorKwargs(details, context),
        ],
      };
    case 'warehouse_available':
      return {
        operator: imports.from(`${OPERATORS}.sensors.warehouse`, 'WarehouseAvailableSensor', 'first_party'),
        kwargs: [['warehouse', str(details.warehouse)], ...optionalStr('conn_id', details.connection), ...sensorKwargs(details, context)],
      };
    case 'bookmark':
      return {
        operator: imports.from(`${OPERATORS}.operators.bookmark`, 'BookmarkBeginOperator', 'first_party'),
        kwargs: [
          ['bookmark', str(details.bookmark)],
          ['source', str(details.source)],
          ['partitioning', str(details.partitioning)],
          ...(Object.keys(details.options).length > 0 ? [['options', json(details.options)] as const] : []),
          ...optionalStr('conn_id', details.connection),
        ],
        mapped: itemMapping(),
      };
    case 'bookmark_commit':
      return {
        operator: imports.from(`${OPERATORS}.operators.bookmark`, 'BookmarkCommitOperator', 'first_party'),
        kwargs: [['bookmark', str(details.bookmark)], ...optionalStr('conn_id', details.connection)],
        mapped: itemMapping(),
      };
    case 'dq_check':
      return {
        operator: imports.from(`${OPERATORS}.operators.dq`, 'DataQualityOperator', 'first_party'),
        kwargs: [
          ['ruleset', str(details.ruleset)],
          ['on_violation', str(details.onViolation)],
          ...inputFrom(details.inputTaskId, details.inputMapped),
          ...optionalStr('dataset', details.dataset),
          ...optionalStr('format', details.format),
          ['pipeline', str(model.dagId)],
          ...optionalStr('conn_id', details.connection),
        ],
        mapped: itemMapping(),
      };
    case 'load':
      return {
        operator: imports.from(`${OPERATORS}.operators.load`, 'LoadOperator', 'first_party'),
        kwargs: [
          ['warehouse', str(details.warehouse)],
          ['table', str(details.table)],
          ['mode', str(details.mode)],
          ...(details.keys.length > 0 ? [['keys', list(details.keys.map(str))] as const] : []),
          ...optionalStr('order_by', details.orderBy),
          ...inputFrom(details.inputTaskId, details.inputMapped),
          ...optionalStr('source', details.source),
          ...optionalStr('aws_conn_id', details.awsConnId),
          ...optionalStr('format', details.format),
          ...(Object.keys(details.options).length > 0 ? [['options', json(details.options)] as const] : []),
          ...optionalStr('conn_id', details.connection),
        ],
        mapped: itemMapping(),
      };
    case 'glue_job':
      return {
        operator: imports.from('airflow.providers.amazon.aws.operators.glue', 'GlueJobOperator', 'third_party'),
        kwargs: [
          ['job_name', str(details.jobName)],
          ...(Object.keys(details.scriptArgs).length > 0 ? [['script_args', json(details.scriptArgs)] as const] : []),
          ...optionalStr('region_name', details.region),
          ...optionalStr('aws_conn_id', details.awsConnId),
          ['wait_for_completion', bool(true)],
          ['deferrable', bool(true)],
          ...glueTimeoutKwargs(task, context),
        ],
      };
    case 'notify':
      return {
        operator: imports.from('airflow.providers.amazon.aws.operators.sns', 'SnsPublishOperator', 'third_party'),
        kwargs: [
          ['target_arn', str(details.topicArn)],
          ['message', str(details.message)],
          ...optionalStr('subject', details.subject),
          ...optionalStr('aws_conn_id', details.awsConnId),
        ],
      };
    case 'http':
      return {
        operator: imports.from(`${OPERATORS}.operators.http`, 'HttpCallOperator', 'first_party'),
        kwargs: [
          ['conn_id', str(details.connection)],
          ['endpoint', str(details.endpoint)],
          ['method', str(details.method)],
          ...(details.json === undefined ? [] : [['json', json(details.json)] as const]),
          ...(details.headers === undefined ? [] : [['headers', json(details.headers)] as const]),
          ...(details.expectedStatus === undefined ? [] : [['expected_status', json(details.expectedStatus)] as const]),
        ],
      };
    case 'bash': {
      const operator = imports.from(target.imports.bash, 'BashOperator', 'third_party');
      const kwargs: PyKwarg[] = [['bash_command', str(runAsCommand(details.command))], ...optionalStr('cwd', details.cwd)];
      const mapping = task.forEach;
      if (mapping === undefined) {
        if (details.env) kwargs.push(['env', json(details.env)], ['append_env', bool(true)]);
        return { operator, kwargs };
      }
      kwargs.push(['append_env', bool(true)]);
      const values =
        mapping.kind === 'values'
          ? list(mapping.values.map((value) => json({ ...(details.env ?? {}), ITEM: typeof value === 'string' ? value : JSON.stringify(value) })))
          : code(`${context.variable(mapping.from)}.output.map(${imports.from(`${OPERATORS}.mapping`, 'item_env', 'first_party')})`);
      return { operator, kwargs, mapped: { field: 'env', values } };
    }
    case 'python': {
      const operator = imports.from(target.imports.python, 'PythonOperator', 'third_party');
      const fn = imports.from(details.module, details.function, 'user');
      const kwargs: PyKwarg[] = [['python_callable', code(fn)], ...(details.kwargs ? [['op_kwargs', json(details.kwargs)] as const] : [])];
      const mapping = task.forEach;
      if (mapping === undefined) return { operator, kwargs };
      const values =
        mapping.kind === 'values'
          ? list(mapping.values.map((value) => list([json(value)])))
          : code(`${context.variable(mapping.from)}.output.map(${imports.from(`${OPERATORS}.mapping`, 'item_args', 'first_party')})`);
      return { operator, kwargs, mapped: { field: 'op_args', values } };
    }
    case 'empty':
      return { operator: imports.from(target.imports.empty, 'EmptyOperator', 'third_party'), kwargs: [] };
  }
}

/**
 * BashOperator's template_ext is (".sh", ".bash") on every targeted Airflow: a bash_command
 * ending in either is the path of a Jinja template file to load (TemplateNotFound when there is
 * none), not a command. A trailing space, which bash ignores, makes it a command (Airflow's
 * documented way to run a script without templating it).
 */
const BASH_TEMPLATE_EXT = ['.sh', '.bash'] as const;

function runAsCommand(command: string): string {
  return BASH_TEMPLATE_EXT.some((ext) => command.endsWith(ext)) ? `${command} ` : command;
}

/**
 * A mapped service task expands its operator's `item`, which the operator adds to the Jinja
 * context of its templated fields as `{{ item }}`.
 */
function serviceItems(task: TaskModel, context: OperatorContext): OperatorParts['mapped'] {
  const mapping = task.forEach;
  if (mapping === undefined) return undefined;
  const values = mapping.kind === 'values' ? list(mapping.values.map((value) => json(value))) : code(`${context.variable(mapping.from)}.output`);
  return { field: 'item', values };
}

function sensorKwargs(details: Extract<TaskDetails, { type: 's3_sensor' | 'warehouse_available' }>, context: OperatorContext): PyKwarg[] {
  const timedelta = (): string => context.imports.from('datetime', 'timedelta', 'stdlib');
  const kwargs: PyKwarg[] = details.mode === 'deferrable' ? [['deferrable', bool(true)]] : [['mode', str('reschedule')]];
  if (details.type === 'warehouse_available' && details.mode === 'reschedule') kwargs.push(['deferrable', bool(false)]);
  if (details.pokeIntervalSeconds !== undefined) kwargs.push(['poke_interval', timedeltaExpr(timedelta(), details.pokeIntervalSeconds)]);
  if (details.sensorTimeoutSeconds !== undefined) kwargs.push(['timeout', timedeltaExpr(timedelta(), details.sensorTimeoutSeconds)]);
  return kwargs;
}

/** Glue's default Timeout of a job run (48 h), which applies when the spec sets none. */
const GLUE_DEFAULT_TIMEOUT_MINUTES = 2880;
/** How long the task waits past Glue's Timeout for the run to end as TIMEOUT. */
const GLUE_STOP_GRACE_SECONDS = 600;
const GLUE_WAITER_DELAY_SECONDS = 60;

/**
 * A glue_job's timeout is the Glue run's own `Timeout` (whole minutes, rounded up), so Glue
 * stops the run; the task waits ten minutes longer (execution_timeout, and the provider's
 * waiter where it has one) to see it end, and `stop_job_run_on_kill` stops it if the task is killed.
 */
function glueTimeoutKwargs(task: TaskModel, context: OperatorContext): PyKwarg[] {
  const timeout = task.executionTimeoutSeconds;
  const minutes = timeout === undefined ? GLUE_DEFAULT_TIMEOUT_MINUTES : Math.max(1, Math.ceil(timeout / 60));
  const waitSeconds = minutes * 60 + GLUE_STOP_GRACE_SECONDS;
  const kwargs: PyKwarg[] = [];
  if (timeout !== undefined) {
    kwargs.push(['run_job_kwargs', json({ Timeout: minutes })]);
    kwargs.push(['execution_timeout', timedeltaExpr(context.imports.from('datetime', 'timedelta', 'stdlib'), waitSeconds)]);
  }
  kwargs.push(['stop_job_run_on_kill', bool(true)]);
  if (context.model.target.glueJobWaiter) {
    kwargs.push(['waiter_delay', num(GLUE_WAITER_DELAY_SECONDS)], ['waiter_max_attempts', num(Math.ceil(waitSeconds / GLUE_WAITER_DELAY_SECONDS))]);
  }
  return kwargs;
}

const SENSOR_TYPES: ReadonlySet<TaskDetails['type']> = new Set(['s3_sensor', 'warehouse_available']);

/** Arguments every operator takes, written only where the task differs from default_args. */
function commonKwargs(task: TaskModel, context: OperatorContext): PyKwarg[] {
  const { model, imports } = context;
  const defaults = model.defaults;
  const timedelta = (): string => imports.from('datetime', 'timedelta', 'stdlib');
  const kwargs: PyKwarg[] = [];
  if (task.doc !== undefined) kwargs.push(['doc_md', str(task.doc)]);
  if (task.triggerRule !== undefined && task.triggerRule !== 'all_success') kwargs.push(['trigger_rule', str(task.triggerRule)]);
  if (task.pool !== defaults.pool) kwargs.push(['pool', task.pool === undefined ? str('default_pool') : str(task.pool)]);
  if (task.poolSlots !== undefined) kwargs.push(['pool_slots', num(task.poolSlots)]);
  // A glue_job writes its own execution_timeout (glueTimeoutKwargs).
  if (task.executionTimeoutSeconds !== defaults.executionTimeoutSeconds && task.details.type !== 'glue_job') {
    kwargs.push(['execution_timeout', task.executionTimeoutSeconds === undefined ? none : timedeltaExpr(timedelta(), task.executionTimeoutSeconds)]);
  }
  // A sensor's timeout is its wait in all: a retry would wait the whole timeout again.
  if (SENSOR_TYPES.has(task.details.type)) kwargs.push(['retries', num(0)]);
  else if (task.retry.kind === 'uniform') kwargs.push(...retryOverrides(task.retry, defaults.retry, timedelta));
  else {
    kwargs.push(...retryOverrides(infrastructureRetry(task.retry.policies), defaults.retry, timedelta, true));
    const policy = imports.from(`${OPERATORS}.retry`, 'RetryPolicy', 'first_party');
    kwargs.push(['retry_policies', list(task.retry.policies.map((p) => policyExpr(policy, p)))]);
  }
  if (task.slaSeconds !== undefined) kwargs.push(['sla', timedeltaExpr(timedelta(), task.slaSeconds)]);
  if (task.outlets.length > 0) kwargs.push(['outlets', list(task.outlets.map((uri) => assetExpr(uri, model, imports)))]);
  return kwargs;
}

function retryOverrides(retry: UniformRetry, defaults: UniformRetry, timedelta: () => string, always = false): PyKwarg[] {
  const kwargs: PyKwarg[] = [];
  if (always || retry.attempts !== defaults.attempts) kwargs.push(['retries', num(retry.attempts)]);
  if (retry.delaySeconds !== defaults.delaySeconds) kwargs.push(['retry_delay', timedeltaExpr(timedelta(), retry.delaySeconds)]);
  if (retry.backoff !== defaults.backoff) kwargs.push(['retry_exponential_backoff', bool(retry.backoff === 'exponential')]);
  if (retry.maxDelaySeconds !== defaults.maxDelaySeconds && retry.maxDelaySeconds !== undefined) {
    kwargs.push(['max_retry_delay', timedeltaExpr(timedelta(), retry.maxDelaySeconds)]);
  }
  return kwargs;
}

function policyExpr(policy: string, p: RetryPolicy): PyExpr {
  return call(policy, [
    ['on', list(p.on.map(str))],
    ['attempts', num(p.attempts)],
    ['delay', num(p.delaySeconds)],
    ...(p.backoff === 'exponential' ? [['backoff', str('exponential')] as const] : []),
    ...(p.maxDelaySeconds === undefined ? [] : [['max_delay', num(p.maxDelaySeconds)] as const]),
  ]);
}

/** The Airflow target is part of the context through the model; re-exported for templates. */
export type { AirflowTarget };
