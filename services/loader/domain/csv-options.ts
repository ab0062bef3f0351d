import { Problem, type FieldError } from '../../kit/errors/problem.js';
import type { CsvOptions } from './types.js';

/**
 * `422 Load.UnsupportedOption` for CSV options no target can load with (a NUL, which no
 * warehouse takes in a string), or that this target cannot (a delimiter of more than one
 * byte on PostgreSQL and Redshift, whose COPY takes one ASCII character).
 */
export function requireSupportedCsv(csv: CsvOptions, oneByteDelimiter: boolean): void {
  const errors: FieldError[] = [];
  if (csv.null.includes('\u0000')) errors.push({ path: '/options/csv/null', message: 'contains a NUL character' });
  if (csv.delimiter.includes('\u0000')) errors.push({ path: '/options/csv/delimiter', message: 'is a NUL character' });
  else if (oneByteDelimiter && Buffer.byteLength(csv.delimiter, 'utf8') !== 1) {
    errors.push({ path: '/options/csv/delimiter', message: `${JSON.stringify(csv.delimiter)} is ${Buffer.byteLength(csv.delimiter, 'utf8')} bytes in UTF-8: this warehouse takes a delimiter of one byte (an ASCII character)` });
  }
  if (errors.length === 0) return;
  throw new Problem('Load.UnsupportedOption', { detail: `the CSV options cannot be loaded: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors });
}
