import { bookmarkName, isSpecDataFormat, mappedBookmarkName, serviceFormat, type DataFormat } from '../contract/index.js';
import { parseDuration } from '../spec/duration.js';
import type { TaskSpec } from '../spec/types.js';
import type { SensorMode, TaskDetails } from './types.js';

/** What the details of a task need from the rest of the model. */
export interface DetailsContext {
  readonly dagId: string;
  readonly taskId: string;
  /** Resolves the task's `input` reference, or finds the nearest upstream task of a type. */
  readonly inputTaskId: (explicit: string | undefined, preferred: readonly TaskDetails['type'][]) => string | undefined;
  readonly sensorTimeoutSeconds: number | undefined;
  /** Whether this task has for_each. */
  readonly mapped: boolean;
  /** Whether a task has for_each. */
  readonly isMapped: (taskId: string) => boolean;
}

const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function str(spec: TaskSpec, field: string): string | undefined {
  const value = spec[field];
  return typeof value === 'string' ? value : undefined;
}

/** A spec's `format` as the services name it (`json` is JSON lines: `jsonl`). */
function format(spec: TaskSpec): DataFormat | undefined {
  const value = str(spec, 'format');
  return value !== undefined && isSpecDataFormat(value) ? serviceFormat(value) : undefined;
}

function seconds(spec: TaskSpec, field: string): number | undefined {
  const value = str(spec, field);
  return value === undefined ? undefined : parseDuration(value);
}

function stringMap(spec: TaskSpec, field: string): Readonly<Record<string, string>> | undefined {
  const value = spec[field];
  return value !== null && typeof value === 'object' ? (value as Record<string, string>) : undefined;
}

/** The type-specific part of a task, from its (schema-valid) spec. */
export function taskDetails(spec: TaskSpec, context: DetailsContext): TaskDetails {
  switch (spec.type) {
    case 's3_sensor':
      return {
        type: 's3_sensor',
        bucket: str(spec, 'bucket') ?? '',
        key: str(spec, 'key') ?? '',
        wildcard: spec['wildcard'] === true,
        awsConnId: str(spec, 'aws_conn_id'),
        pokeIntervalSeconds: seconds(spec, 'poke_interval'),
        mode: (str(spec, 'mode') ?? 'deferrable') as SensorMode,
        sensorTimeoutSeconds: context.sensorTimeoutSeconds,
      };
    case 'bookmark': {
      const options: Record<string, string | number> = {};
      const tolerance = seconds(spec, 'tolerance');
      if (tolerance !== undefined) options['tolerance_seconds'] = tolerance;
      if (typeof spec['lookback'] === 'number') options['lookback_partitions'] = spec['lookback'];
      const batchSize = str(spec, 'batch_size');
      if (batchSize !== undefined) {
        const [, amount, unit] = /^(\d+)(B|KB|MB|GB)$/.exec(batchSize) ?? [];
        options['target_batch_bytes'] = Number(amount) * (SIZE_UNITS[unit ?? 'B'] ?? 1);
      }
      return {
        type: 'bookmark',
        bookmark: context.mapped ? mappedBookmarkName(context.dagId, context.taskId) : bookmarkName(context.dagId, context.taskId),
        source: str(spec, 'source') ?? '',
        partitioning: (str(spec, 'partitioning') ?? 'none') as 'hive' | 'none',
        options,
        connection: str(spec, 'connection'),
      };
    }
    case 'dq_check': {
      const dataset = str(spec, 'dataset');
      const inputTaskId = dataset === undefined ? context.inputTaskId(str(spec, 'input'), ['bookmark']) : undefined;
      return {
        type: 'dq_check',
        ruleset: str(spec, 'ruleset') ?? '',
        onViolation: (str(spec, 'on_violation') ?? 'fail') as 'quarantine' | 'fail' | 'warn',
        inputTaskId,
        inputMapped: inputTaskId !== undefined && context.isMapped(inputTaskId),
        dataset,
        format: format(spec),
        connection: str(spec, 'connection'),
      };
    }
    case 'warehouse_available':
      return {
        type: 'warehouse_available',
        warehouse: str(spec, 'warehouse') ?? '',
        pokeIntervalSeconds: seconds(spec, 'poke_interval'),
        mode: (str(spec, 'mode') ?? 'deferrable') as SensorMode,
        sensorTimeoutSeconds: context.sensorTimeoutSeconds,
        connection: str(spec, 'connection'),
      };
    case 'load': {
      const options: Record<string, boolean> = {};
      if (spec['allow_new_columns'] === true) options['allow_new_columns'] = true;
      const source = str(spec, 'source');
      const inputTaskId = source === undefined ? context.inputTaskId(str(spec, 'input'), ['dq_check', 'bookmark']) : undefined;
      return {
        type: 'load',
        warehouse: str(spec, 'warehouse') ?? '',
        table: str(spec, 'table') ?? '',
        mode: (str(spec, 'mode') ?? 'append') as 'append' | 'merge' | 'replace',
        keys: (spec['keys'] as string[] | undefined) ?? [],
        orderBy: str(spec, 'order_by'),
        inputTaskId,
        inputMapped: inputTaskId !== undefined && context.isMapped(inputTaskId),
        source,
        awsConnId: str(spec, 'aws_conn_id'),
        format: format(spec),
        options,
        connection: str(spec, 'connection'),
      };
    }
    case 'glue_job': {
      const scriptArgs: Record<string, string> = { ...(stringMap(spec, 'script_args') ?? {}) };
      const bookmarks = str(spec, 'bookmarks');
      if (bookmarks !== undefined) scriptArgs['--job-bookmark-option'] = `job-bookmark-${bookmarks}`;
      return {
        type: 'glue_job',
        jobName: str(spec, 'job_name') ?? '',
        scriptArgs,
        region: str(spec, 'region'),
        awsConnId: str(spec, 'aws_conn_id'),
      };
    }
    case 'notify':
      return {
        type: 'notify',
        topicArn: str(spec, 'sns') ?? '',
        message: str(spec, 'message') ?? '',
        subject: str(spec, 'subject'),
        awsConnId: str(spec, 'aws_conn_id'),
      };
    case 'http':
      return {
        type: 'http',
        connection: str(spec, 'connection') ?? '',
        endpoint: str(spec, 'endpoint') ?? '',
        method: str(spec, 'method') ?? 'GET',
        json: spec['json'],
        headers: stringMap(spec, 'headers'),
        expectedStatus: spec['expected_status'] as number[] | undefined,
      };
    case 'bash':
      return { type: 'bash', command: str(spec, 'command') ?? '', env: stringMap(spec, 'env'), cwd: str(spec, 'cwd') };
    case 'python': {
      const [module = '', fn = ''] = (str(spec, 'callable') ?? '').split(':');
      return { type: 'python', module, function: fn, kwargs: spec['kwargs'] as Record<string, unknown> | undefined };
    }
    case 'empty':
    case 'group':
      return { type: 'empty' };
  }
}
