/** Which reader a file needs: by its name, else by its first bytes. */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import type { DataFormat } from '../types.js';

const BY_EXTENSION: ReadonlyArray<readonly [RegExp, DataFormat]> = [
  [/\.parquet$/i, 'parquet'],
  [/\.(jsonl|ndjson|json)(\.gz|\.zst)?$/i, 'jsonl'],
  [/\.(csv|tsv|txt)(\.gz|\.zst)?$/i, 'csv'],
];

function head(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The format of one file; `undefined` when it cannot be read. */
export function sniffFormat(file: string): DataFormat | undefined {
  for (const [re, format] of BY_EXTENSION) if (re.test(file)) return format;
  try {
    const b = head(file, 64);
    if (b.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
    const text = b.toString('utf8').trimStart();
    return text.startsWith('{') ? 'jsonl' : 'csv';
  } catch {
    return undefined;
  }
}

export function isEmptyFile(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch {
    return false;
  }
}
