import { bookmarkName, mappedBookmarkName, serviceFormat, type DataFormat, type SpecDataFormat } from '../contract/index.js';
import { parseDuration } from '../spec/duration.js';
import type { LeafTaskSpec } from '../spec/types.js';
import type { TaskDetails } from './types.js';

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

/** A spec's `format` as the services name it (`json` is JSON lines: `jsonl`). */
function format(value: SpecDataFormat | undefined): DataFormat | undefined {
  return value === undefined ? undefined : serviceFormat(value);
}

function seconds(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}

/** The type-specific part of a task, from its (schema-valid) spec. */
export function taskDetails(spec: LeafTaskSpec, context: DetailsContext): TaskDetails {
  switch (spec.type) {
    case 's3_sensor':
      return {
        type: 's3_sensor',
        bucket: spec.bucket,
        key: spec.key,
        wildcard: spec.wildcard,
        awsConnId: spec.aws_conn_id,
        pokeIntervalSeconds: seconds(spec.poke_interval),
        mode: spec.mode,
        sensorTimeoutSeconds: context.sensorTimeoutSeconds,
      };
    case 'bookmark': {
      const options: Record<string, string | number> = {};
      const tolerance = seconds(spec.tolerance);
      if (tolerance !== undefined) options['tolerance_seconds'] = tolerance;
      if (spec.lookback !== undefined) options['lookback_partitions'] = spec.lookback;
      if (spec.batch_size !== undefined) {
        const [, amount, unit] = /^(\d+)(B|KB|MB|GB)$/.exec(spec.batch_size) ?? [];
        options['target_batch_bytes'] = Number(amount) * (SIZE_UNITS[unit ?? 'B'] ?? 1);
      }
      return {
        type: 'bookmark',
        bookmark: context.mapped ? mappedBookmarkName(context.dagId, context.taskId) : bookmarkName(context.dagId, context.taskId),
        source: spec.source,
        partitioning: spec.partitioning,
        options,
        connection: spec.connection,
      };
    }
    case 'dq_check': {
      const dataset = spec.dataset;
      const inputTaskId = dataset === undefined ? context.inputTaskId(spec.input, ['bookmark']) : undefined;
      return {
        type: 'dq_check',
        ruleset: spec.ruleset,
        onViolation: spec.on_violation,
        inputTaskId,
        inputMapped: inputTaskId !== undefined && context.isMapped(inputTaskId),
        dataset,
        format: format(spec.format),
        connection: spec.connection,
      };
    }
    case 'warehouse_available':
      return {
        type: 'warehouse_available',
        warehouse: spec.warehouse,
        pokeIntervalSeconds: seconds(spec.poke_interval),
        mode: spec.mode,
        sensorTimeoutSeconds: context.sensorTimeoutSeconds,
        connection: spec.connection,
      };
    case 'load': {
      const options: Record<string, boolean> = {};
      if (spec.allow_new_columns) options['allow_new_columns'] = true;
      const source = spec.source;
      const inputTaskId = source === undefined ? context.inputTaskId(spec.input, ['dq_check', 'bookmark']) : undefined;
      return {
        type: 'load',
        warehouse: spec.warehouse,
        table: spec.table,
        mode: spec.mode,
        keys: spec.keys ?? [],
        orderBy: spec.order_by,
        inputTaskId,
        inputMapped: inputTaskId !== undefined && context.isMapped(inputTaskId),
        source,
        awsConnId: spec.aws_conn_id,
        format: format(spec.format),
        options,
        connection: spec.connection,
      };
    }
    case 'glue_job': {
      const scriptArgs: Record<string, string> = { ...spec.script_args };
      if (spec.bookmarks !== undefined) scriptArgs['--job-bookmark-option'] = `job-bookmark-${spec.bookmarks}`;
      return {
        type: 'glue_job',
        jobName: spec.job_name,
        scriptArgs,
        region: spec.region,
        awsConnId: spec.aws_conn_id,
      };
    }
    case 'notify':
      return {
        type: 'notify',
        topicArn: spec.sns,
        message: spec.message,
        subject: spec.subject,
        awsConnId: spec.aws_conn_id,
      };
    case 'http':
      return {
        type: 'http',
        connection: spec.connection,
        endpoint: spec.endpoint,
        method: spec.method,
        json: spec.json,
        headers: spec.headers,
        expectedStatus: spec.expected_status,
      };
    case 'bash':
      return { type: 'bash', command: spec.command, env: spec.env, cwd: spec.cwd };
    case 'python': {
      const [module = '', fn = ''] = spec.callable.split(':');
      return { type: 'python', module, function: fn, kwargs: spec.kwargs };
    }
    case 'empty':
      return { type: 'empty' };
  }
}
