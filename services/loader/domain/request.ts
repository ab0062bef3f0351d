import { createHash } from 'node:crypto';
import { canonicalJson } from '../../kit/jobs/canonical-json.js';
import { HttpProblem, type FieldError } from '../../kit/errors/http-problem.js';
import { resolveFormat, resolveObjects, type BatchInput } from './batch.js';
import { identifierError, isTableRef, parseTableRef } from './identifiers.js';
import type { BatchFormat, Compression, LoadInput, LoadMode } from './types.js';

/** The body of `POST /v1/loads` (validated by its JSON Schema first). */
export interface LoadBody {
  readonly batch: BatchInput;
  /** The warehouse's configured name. `warehouse` is the same field (the Airflow operator sends it). */
  readonly target?: string;
  readonly warehouse?: string;
  readonly table: string;
  readonly mode: LoadMode;
  readonly keys?: readonly string[];
  readonly order_by?: string;
  readonly format?: BatchFormat;
  readonly options?: {
    readonly allow_new_columns?: boolean;
    readonly compression?: Compression | 'auto';
    readonly columns?: readonly string[];
    readonly csv?: { readonly delimiter?: string; readonly header?: boolean; readonly null?: string };
  };
}

export const DEFAULT_TARGET = 'default';

/**
 * Turns a load request into the job's input, or refuses it before any job
 * exists: bad names → `400 InvalidIdentifier`, no objects → `400 EmptyBatch`,
 * anything else malformed → `400 Request.Invalid`. Nothing is written.
 */
export function prepareLoad(body: LoadBody, key: string, knownTargets: ReadonlySet<string>): LoadInput {
  const names: FieldError[] = [];
  const invalid: FieldError[] = [];
  const table = parseTableRef(body.table);
  if (!isTableRef(table)) names.push(table);
  (body.keys ?? []).forEach((k, i) => pushIf(names, identifierError(k, `/keys/${i}`)));
  if (body.order_by !== undefined) pushIf(names, identifierError(body.order_by, '/order_by'));
  (body.options?.columns ?? []).forEach((c, i) => pushIf(names, identifierError(c, `/options/columns/${i}`)));
  if (names.length > 0) {
    throw new HttpProblem('InvalidIdentifier', {
      detail: `not plain identifiers: ${names.map((e) => e.path).join(', ')}`,
      errors: names,
    });
  }
  const target = body.target ?? body.warehouse ?? DEFAULT_TARGET;
  if (body.target !== undefined && body.warehouse !== undefined && body.target !== body.warehouse) {
    invalid.push({ path: '/warehouse', message: 'differs from target: give one of the two' });
  } else if (!knownTargets.has(target)) invalid.push({ path: '/target', message: `names no configured warehouse (known: ${[...knownTargets].sort().join(', ')})` });
  const keys = [...(body.keys ?? [])];
  if (body.mode === 'merge' && keys.length === 0) invalid.push({ path: '/keys', message: 'merge needs at least one key column' });
  if (new Set(keys).size !== keys.length) invalid.push({ path: '/keys', message: 'names a column twice' });
  const csv = { delimiter: body.options?.csv?.delimiter ?? ',', header: body.options?.csv?.header ?? true, null: body.options?.csv?.null ?? '' };
  const columns = body.options?.columns;
  if (!csv.header && !columns) invalid.push({ path: '/options/columns', message: 'is required when the CSV has no header' });
  const { objects, errors } = resolveObjects(body.batch);
  invalid.push(...errors);
  if (invalid.length === 0 && objects.length === 0) {
    throw new HttpProblem('EmptyBatch', { detail: 'the batch has no objects: there is nothing to load', errors: [{ path: '/batch', message: 'has no objects' }] });
  }
  const format = objects.length > 0 ? resolveFormat(objects, body.format) : (body.format ?? 'csv');
  if (typeof format !== 'string') invalid.push(format);
  const seen = new Set<string>();
  objects.forEach((o, i) => {
    const id = `${o.bucket}/${o.key}`;
    if (seen.has(id)) invalid.push({ path: `/batch/objects/${i}`, message: 'appears twice in the batch' });
    seen.add(id);
  });
  if (invalid.length > 0 || typeof format !== 'string' || !isTableRef(table)) {
    throw new HttpProblem('Request.Invalid', { detail: invalid.map((e) => `${e.path} ${e.message}`).join('; '), errors: invalid });
  }
  const options = {
    allow_new_columns: body.options?.allow_new_columns ?? false,
    compression: body.options?.compression ?? 'auto',
    csv,
    columns: columns ? [...columns] : undefined,
  } as const;
  const what = {
    target,
    table: [table.schema ?? null, table.name],
    mode: body.mode,
    keys,
    order_by: body.order_by ?? null,
    format,
    objects: objects.map((o) => [o.bucket, o.key, o.etag ?? null]),
    options,
  };
  const fingerprint = createHash('sha256').update(canonicalJson(what)).digest('hex');
  return { key, target, table, mode: body.mode, keys, order_by: body.order_by, format, objects, options, fingerprint };
}

function pushIf(list: FieldError[], err: FieldError | undefined): void {
  if (err) list.push(err);
}
