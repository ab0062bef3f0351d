import { IDENTIFIER_MAX_LENGTH, IDENTIFIER_PATTERN } from '../../../src/contract/index.js';
import { Problem, type FieldError } from '../../kit/errors/problem.js';
import type { TableRef } from './types.js';

/**
 * A plain identifier: a letter or underscore, then letters, digits, `_` or `$`.
 * Everything the loader puts in SQL as a name passes this check first, and is
 * then quoted anyway: validation refuses injection, quoting keeps case.
 */
export const IDENTIFIER = new RegExp(IDENTIFIER_PATTERN);
export const IDENTIFIER_MESSAGE = `must match ${IDENTIFIER.source}`;

/** Longest name any target accepts; each target checks its own limit too. */
export const MAX_IDENTIFIER_LENGTH = IDENTIFIER_MAX_LENGTH;

export function identifierError(name: unknown, path: string, maxLength = MAX_IDENTIFIER_LENGTH): FieldError | undefined {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) return { path, message: IDENTIFIER_MESSAGE };
  if (name.length > maxLength) return { path, message: `is longer than ${maxLength} characters` };
  return undefined;
}

/** `events` or `analytics.events` → a TableRef; errors name the request field. */
export function parseTableRef(text: string, path = '/table'): TableRef | FieldError {
  const parts = text.split('.');
  if (parts.length > 2) return { path, message: 'must be "table" or "schema.table"' };
  for (const part of parts) {
    const err = identifierError(part, path);
    if (err) return { path, message: `${JSON.stringify(part)} ${err.message}` };
  }
  return parts.length === 2 ? { schema: parts[0], name: parts[1] as string } : { schema: undefined, name: parts[0] as string };
}

export function isTableRef(value: TableRef | FieldError): value is TableRef {
  return 'name' in value;
}

export function formatTableRef(ref: TableRef): string {
  return ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
}

/** Checks names found in the data (CSV headers, JSON keys, Parquet fields) before any SQL sees them. */
export function requireIdentifiers(names: readonly string[], path: string, maxLength: number): void {
  const errors: FieldError[] = [];
  names.forEach((name, i) => {
    const err = identifierError(name, `${path}/${i}`, maxLength);
    if (err) errors.push({ path: err.path, message: `${JSON.stringify(name.slice(0, 80))} ${err.message}` });
  });
  if (errors.length > 0) {
    throw new Problem('InvalidIdentifier', {
      detail: `the batch has column names that are not plain identifiers: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    });
  }
}
