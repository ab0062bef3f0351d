import { createHash } from 'node:crypto';
import { canonicalJson } from '../../kit/jobs/canonical-json.js';
import { Problem, type FieldError } from '../../kit/errors/problem.js';
import { resolveFormat, resolveObjects, sourceBucketOf } from './batch.js';
import { identifierError, isTableRef, parseTableRef } from './identifiers.js';
import type { BatchFormat, BatchObject, Compression, LoadBody, LoadInput, LoadMode, ManifestLoad } from './types.js';

export const DEFAULT_TARGET = 'default';

/**
 * Turns a load request into the job's input, or refuses it before any job
 * exists: bad names → `400 InvalidIdentifier`, no objects → `400 EmptyBatch`,
 * anything else malformed → `400 Request.Invalid`. Nothing is written. A batch
 * given as a manifest stays a reference: the job reads it (`withObjects`).
 */
export function loadInput(body: LoadBody, key: string, knownTargets: ReadonlySet<string>): LoadInput | ManifestLoad {
  const names: FieldError[] = [];
  const invalid: FieldError[] = [];
  const table = parseTableRef(body.table);
  if (!isTableRef(table)) names.push(table);
  (body.keys ?? []).forEach((k, i) => pushIf(names, identifierError(k, `/keys/${i}`)));
  if (body.order_by !== undefined) pushIf(names, identifierError(body.order_by, '/order_by'));
  (body.options?.columns ?? []).forEach((c, i) => pushIf(names, identifierError(c, `/options/columns/${i}`)));
  if (names.length > 0) {
    throw new Problem('InvalidIdentifier', {
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
  const options = {
    allow_new_columns: body.options?.allow_new_columns ?? false,
    compression: body.options?.compression ?? 'auto',
    csv,
    columns: columns ? [...columns] : undefined,
  } as const;
  if (!isTableRef(table)) throw new Error('unreachable: names were checked');
  const base = { key, target, table, mode: body.mode, keys, order_by: body.order_by, options };
  if (body.batch.manifest !== undefined) {
    const { bucket, error } = sourceBucketOf(body.batch);
    if (error) invalid.push(error);
    if (body.batch.objects !== undefined || body.batch.batch !== undefined) invalid.push({ path: '/batch', message: 'gives both a manifest and objects: give one' });
    if (invalid.length > 0) throw requestInvalid(invalid);
    const manifest = { manifest: body.batch.manifest, ...(body.batch.source !== undefined ? { source: body.batch.source } : {}), ...(body.batch.count !== undefined ? { count: body.batch.count } : {}), ...(body.batch.sha256 !== undefined ? { sha256: body.batch.sha256 } : {}) };
    return { ...base, manifest, bucket, format: body.format };
  }
  const { objects, errors } = resolveObjects(body.batch);
  invalid.push(...errors);
  if (invalid.length === 0 && objects.length === 0) {
    throw new Problem('EmptyBatch', { detail: 'the batch has no objects: there is nothing to load', errors: [{ path: '/batch', message: 'has no objects' }] });
  }
  if (invalid.length > 0) throw requestInvalid(invalid);
  return withObjects(base, objects, body.format, '/batch/objects');
}

/** A load request before its objects: names and options checked. */
type LoadBase = Omit<LoadInput, 'objects' | 'format' | 'fingerprint'>;

/**
 * The load with its objects: their one format, no object twice, and the fingerprint of what
 * the load does. Inline objects are checked when the request comes; a manifest's when the job
 * reads it (`objectsPath` says where they are, for the errors).
 */
export function withObjects(base: LoadBase, objects: readonly BatchObject[], declared: BatchFormat | undefined, objectsPath: string): LoadInput {
  const invalid: FieldError[] = [];
  const format = resolveFormat(objects, declared);
  if (typeof format !== 'string') invalid.push(format);
  const seen = new Set<string>();
  objects.forEach((o, i) => {
    const id = `${o.bucket}/${o.key}`;
    if (seen.has(id)) invalid.push({ path: `${objectsPath}/${i}`, message: 'appears twice in the batch' });
    seen.add(id);
  });
  if (invalid.length > 0 || typeof format !== 'string') throw requestInvalid(invalid);
  const what = {
    target: base.target,
    table: [base.table.schema ?? null, base.table.name],
    mode: base.mode,
    keys: base.keys,
    order_by: base.order_by ?? null,
    format,
    objects: objects.map((o) => [o.bucket, o.key, o.etag ?? null]),
    options: base.options,
  };
  const fingerprint = createHash('sha256').update(canonicalJson(what)).digest('hex');
  return { ...base, format, objects, fingerprint };
}

function requestInvalid(invalid: readonly FieldError[]): Problem {
  return new Problem('Request.Invalid', { detail: invalid.map((e) => `${e.path} ${e.message}`).join('; '), errors: [...invalid] });
}

function pushIf(list: FieldError[], err: FieldError | undefined): void {
  if (err) list.push(err);
}
