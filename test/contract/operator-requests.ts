/**
 * The HTTP requests a generated DAG's operators send, built the way the Python operators
 * build them (python/dagwright_airflow/operators/{bookmark,dq,load}.py and _xcom.py), from
 * the keyword arguments the generator writes for each task (src/generator/operators.ts).
 *
 * Only what the operators do is mirrored here; the kwargs come from the generator itself,
 * read back from the Python expression it emits.
 */
import { createHash } from 'node:crypto';
import { operatorExpr } from '../../src/generator/operators.js';
import { ImportSet } from '../../src/generator/imports.js';
import type { PyExpr } from '../../src/generator/python/expr.js';
import type { PipelineModel, TaskModel } from '../../src/model/types.js';

export interface OperatorRequest {
  readonly taskId: string;
  readonly service: 'bookmarks' | 'dq' | 'loader';
  /** The path, with each segment quoted as `hooks.service.path_segment` quotes it. */
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** What the upstream tasks returned (their XComs), by task id. */
export type XComs = ReadonlyMap<string, unknown>;

/** A Python literal the generator wrote, as the value Python would see. */
function evaluate(expr: PyExpr): unknown {
  switch (expr.kind) {
    case 'code': {
      const code = expr.code;
      if (code === 'None') return null;
      if (code === 'True' || code === 'False') return code === 'True';
      if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(code)) return Number(code);
      if (/^"([^"\\]|\\.)*"$/.test(code)) return JSON.parse(code) as string;
      if (/^'([^'\\]|\\.)*'$/.test(code)) return JSON.parse(`"${code.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
      throw new Error(`not a literal the contract test reads: ${code}`);
    }
    case 'list':
      return expr.items.map(evaluate);
    case 'dict':
      return Object.fromEntries(expr.entries.map(([key, value]) => [evaluate(key) as string, evaluate(value)]));
    default:
      throw new Error(`not a literal: ${expr.kind}`);
  }
}

const MAX_KEY_LENGTH = 255;

/** `idempotency_key` in operators/base.py: `<dag_id>/<task_id>/<run_id>/<map_index>`, at most 255 characters. */
export function idempotencyKey(dagId: string, taskId: string, runId: string, mapIndex = -1): string {
  const raw = `${dagId}/${taskId}/${runId}/${mapIndex}`;
  // quote(raw, safe=<visible ASCII but %>)
  const key = [...Buffer.from(raw, 'utf8')].map((b) => (b >= 0x21 && b < 0x7f && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  if (key.length <= MAX_KEY_LENGTH) return key;
  const digest = createHash('sha256').update(raw, 'utf8').digest('hex');
  return `${key.slice(0, MAX_KEY_LENGTH - digest.length - 1)}~${digest}`;
}

/**
 * The operator-specific keyword arguments the generator writes for a task, and the items a
 * mapped one expands (`Operator.partial(...).expand(item=[...])`; literal lists only here).
 */
export function operatorKwargs(task: TaskModel, model: PipelineModel): { operator: string; kwargs: Record<string, unknown>; items: unknown[] | undefined } {
  const written = operatorExpr(task, { model, imports: new ImportSet(), variable: (id) => id.replace(/\./g, '_') });
  const mapped = written.kind === 'method' && written.method === 'expand' ? written : undefined;
  const expr = mapped ? mapped.target : written;
  if (expr.kind !== 'call') throw new Error(`${task.taskId}: not an operator call`);
  const expanded = mapped?.kwargs.find(([name]) => name === 'item')?.[1];
  if (mapped && expanded === undefined) throw new Error(`${task.taskId}: a service operator mapped over something other than item`);
  const COMMON = new Set(['max_active_tis_per_dagrun', 'task_id', 'doc_md', 'trigger_rule', 'pool', 'pool_slots', 'execution_timeout', 'retries', 'retry_delay', 'retry_exponential_backoff', 'max_retry_delay', 'retry_policies', 'sla', 'conn_id', 'outlets']);
  const kwargs: Record<string, unknown> = {};
  for (const [name, value] of expr.kwargs) if (!COMMON.has(name)) kwargs[name] = evaluate(value);
  return { operator: expr.callee.replace(/\.partial$/, ''), kwargs, items: expanded === undefined ? undefined : (evaluate(expanded) as unknown[]) };
}

/** One mapped copy: its item and map index. */
export interface MappedCopy {
  readonly item: unknown;
  readonly mapIndex: number;
}

/** What Jinja renders in the templated fields: `{{ item }}` (a mapped copy's) and `{{ ds }}`. */
function render(value: unknown, copy: MappedCopy | undefined, ds: string): unknown {
  if (typeof value === 'string') {
    const withDs = value.replaceAll('{{ ds }}', ds);
    return copy === undefined ? withDs : withDs.replaceAll('{{ item }}', String(copy.item));
  }
  if (Array.isArray(value)) return value.map((v) => render(v, copy, ds));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, copy, ds)]));
  return value;
}

/** The XCom key of a task's copy: `task[i]` for a mapped upstream read at the reader's own map index. */
export function xcomKey(taskId: string, mapIndex: number | undefined): string {
  return mapIndex === undefined || mapIndex < 0 ? taskId : `${taskId}[${mapIndex}]`;
}

/** What an S3 listing holds, by bucket and prefix: the contract test's stand-in for S3. */
export type Listing = (bucket: string, prefix: string) => { key: string; size: number; etag: string }[];

/** `list_source` in hooks/s3_source.py: an object as it is, a prefix listed (data keys, in key order). */
function listSource(source: string, listing: Listing): Record<string, unknown> {
  const [bucket = '', ...rest] = source.slice('s3://'.length).split('/');
  const key = rest.join('/');
  if (key !== '' && !key.endsWith('/')) return { source, objects: [{ key }] };
  const name = (k: string): string => k.slice(k.lastIndexOf('/') + 1);
  const objects = listing(bucket, key)
    .filter((o) => name(o.key) !== '' && !name(o.key).startsWith('_') && !name(o.key).startsWith('.'))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { source, objects };
}

/** `without_none` in operators/base.py. */
function withoutNone(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null && value !== undefined));
}

/** `urllib.parse.quote(segment, safe="")`, as `path_segment` does. */
function pathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `pull_batch` in operators/_xcom.py. */
function pullBatch(xcoms: XComs, taskId: string): unknown {
  const value = xcoms.get(taskId) as Record<string, unknown> | undefined;
  if (value === undefined) throw new Error(`no XCom for ${taskId}`);
  if ('batch' in value) {
    const batch = value['batch'] as Record<string, unknown>;
    const source = value['source'];
    if (typeof batch === 'object' && !('source' in batch) && typeof source === 'string' && source.startsWith('s3://')) return { source, ...batch };
    return batch;
  }
  if ('objects' in value || 'manifest' in value) return { ...value };
  throw new Error(`${taskId} returned no batch`);
}

/** Accepts only the parameters the Python operator declares: Airflow refuses any other. */
function params(operator: string, kwargs: Record<string, unknown>, declared: readonly string[]): Record<string, unknown> {
  const unknown = Object.keys(kwargs).filter((name) => !declared.includes(name));
  if (unknown.length > 0) throw new Error(`${operator} takes no ${unknown.join(', ')}`);
  return kwargs;
}

/**
 * The request a service task sends, or undefined for tasks that call no dagwright service.
 * `runId` is the Airflow run id (`ti.run_id`), `ds` the run's logical date (`context["ds"]`).
 */
export function operatorRequest(
  task: TaskModel,
  model: PipelineModel,
  xcoms: XComs,
  runId: string,
  ds = '2026-01-31',
  copy?: MappedCopy,
  listing: Listing = () => [],
): OperatorRequest | undefined {
  const type = task.details.type;
  if (type !== 'bookmark' && type !== 'bookmark_commit' && type !== 'dq_check' && type !== 'load') return undefined;
  const written = operatorKwargs(task, model);
  const operator = written.operator;
  if ((written.items === undefined) !== (copy === undefined)) throw new Error(`${task.taskId}: ${copy === undefined ? 'a mapped task needs its copy' : 'not mapped'}`);
  const kwargs = render(written.kwargs, copy, ds) as Record<string, unknown>;
  // pull_batch: a mapped input is read at this copy's own map index.
  const pull = (k: Record<string, unknown>): unknown => pullBatch(xcoms, xcomKey(k['input_task_id'] as string, k['input_mapped'] === true ? copy?.mapIndex : undefined));
  switch (type) {
    case 'bookmark': {
      // BookmarkBeginOperator.job_body
      const k = params(operator, kwargs, ['bookmark', 'source', 'partitioning', 'options']);
      const body = withoutNone({ run_id: runId, source: k['source'], partitioning: k['partitioning'] });
      Object.assign(body, (k['options'] as Record<string, unknown> | undefined) ?? {});
      return { taskId: task.taskId, service: 'bookmarks', path: `/v1/bookmarks/${pathSegment(k['bookmark'] as string)}/runs`, body };
    }
    case 'bookmark_commit': {
      const k = params(operator, kwargs, ['bookmark']);
      return { taskId: task.taskId, service: 'bookmarks', path: `/v1/bookmarks/${pathSegment(k['bookmark'] as string)}/runs/${pathSegment(runId)}/commit`, body: {} };
    }
    case 'dq_check': {
      // DataQualityOperator.job_body
      const k = params(operator, kwargs, ['ruleset', 'on_violation', 'input_task_id', 'input_mapped', 'dataset', 'format', 'pipeline']);
      const dataset = k['dataset'] ?? pull(k);
      const body = withoutNone({ ruleset: k['ruleset'], on_violation: k['on_violation'], dataset, format: k['format'], pipeline: k['pipeline'] ?? model.dagId, run_id: runId, dt: ds });
      return { taskId: task.taskId, service: 'dq', path: '/v1/evaluations', body };
    }
    case 'load': {
      // LoadOperator.job_body
      const k = params(operator, kwargs, ['warehouse', 'table', 'mode', 'keys', 'order_by', 'input_task_id', 'input_mapped', 'source', 'aws_conn_id', 'format', 'options']);
      const batch = k['source'] !== undefined ? listSource(k['source'] as string, listing) : k['input_task_id'] === undefined ? undefined : pull(k);
      const body = withoutNone({
        warehouse: k['warehouse'],
        table: k['table'],
        mode: k['mode'],
        keys: k['keys'],
        order_by: k['order_by'],
        batch,
        format: k['format'],
        options: k['options'],
      });
      return { taskId: task.taskId, service: 'loader', path: '/v1/loads', body };
    }
  }
}
