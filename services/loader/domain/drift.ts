import { Problem, type FieldError } from '../../kit/errors/problem.js';
import type { BatchColumn, BatchSchema, TableColumn } from './types.js';

export interface Drift {
  /** Batch columns the table lacks, that the load may add (nullable) when allowed. */
  readonly added: readonly BatchColumn[];
  /** Every difference, as field errors; empty when the batch fits. */
  readonly errors: readonly FieldError[];
}

/**
 * Compares a batch with its table before anything is loaded:
 * - a table column the batch lacks (unless it has a default) is missing;
 * - a batch column the table lacks is new: allowed only with `allow_new_columns`;
 * - a batch column whose values do not fit the table column's type is a mismatch.
 */
export function detectDrift(table: readonly TableColumn[], batch: BatchSchema, allowNewColumns: boolean): Drift {
  const errors: FieldError[] = [];
  const added: BatchColumn[] = [];
  const byName = new Map(table.map((c) => [c.name, c]));
  const inBatch = new Set(batch.columns.map((c) => c.name));
  for (const col of table) {
    if (!inBatch.has(col.name) && !col.hasDefault) {
      errors.push({ path: `/columns/${col.name}`, message: `missing: the table has ${col.name} ${col.type}${col.nullable ? '' : ' NOT NULL'} and the batch does not` });
    }
  }
  for (const col of batch.columns) {
    const target = byName.get(col.name);
    if (!target) {
      if (allowNewColumns) added.push(col);
      else errors.push({ path: `/columns/${col.name}`, message: `new: the batch has ${col.name} (${col.evidence}) and the table does not; set options.allow_new_columns to add it` });
      continue;
    }
    if (!col.fits.has(target.family)) {
      errors.push({ path: `/columns/${col.name}`, message: `type mismatch: the table has ${target.type}, the batch has ${col.evidence}` });
    }
  }
  return { added, errors };
}

export function schemaMismatch(table: string, errors: readonly FieldError[]): Problem {
  return new Problem('SchemaMismatch', {
    detail: `the batch does not match ${table}: ${errors.map((e) => e.message).join('; ')}`,
    errors,
  });
}

/**
 * JSON keys met while staging that are not among the batch's columns (which
 * were learnt from the first bytes of each object): the load is refused
 * rather than dropping their values.
 */
export function lateJsonKeys(keys: readonly string[]): Problem {
  return new Problem('SchemaMismatch', {
    detail: `the batch has JSON keys past the sampled start of its objects that are not among its columns: ${keys.join(', ')}; nothing was loaded`,
    errors: keys.map((k) => ({ path: `/columns/${k}`, message: `new: the key ${k} first appears past the sample its columns were learnt from; its values would be dropped` })),
  });
}

/** Keys and the ordering column must be batch columns that the table has too. */
export function checkKeyColumns(batch: BatchSchema, table: readonly TableColumn[], keys: readonly string[], orderBy: string | undefined): FieldError[] {
  const inBatch = new Set(batch.columns.map((c) => c.name));
  const inTable = new Set(table.map((c) => c.name));
  const errors: FieldError[] = [];
  keys.forEach((k, i) => {
    if (!inBatch.has(k)) errors.push({ path: `/keys/${i}`, message: `key column ${k} is not in the batch` });
    else if (!inTable.has(k)) errors.push({ path: `/keys/${i}`, message: `key column ${k} is not in the table` });
  });
  if (orderBy !== undefined && !inBatch.has(orderBy)) errors.push({ path: '/order_by', message: `ordering column ${orderBy} is not in the batch` });
  return errors;
}
