import type { PartitionLayout } from './types.js';

/**
 * Hive-style partitions directly under the source prefix: `dt=<value>/` or
 * `year=Y/month=M/day=D/`. Values are compared as normalised strings:
 * `dt` values as written; `year/month/day` as `YYYY-MM-DD`.
 */
export interface Partition {
  readonly layout: PartitionLayout;
  /** Normalised, comparable value. */
  readonly value: string;
  /** The key prefix of the partition, relative to the source prefix. */
  readonly path: string;
}

const DT = /^dt=([^/]+)\//;
const YMD = /^year=(\d{1,4})\/month=(\d{1,2})\/day=(\d{1,2})\//;

/** The partition of a key relative to the source prefix, or null. */
export function partitionOf(relativeKey: string): Partition | null {
  const dt = DT.exec(relativeKey);
  if (dt?.[1] !== undefined) return { layout: 'dt', value: dt[1], path: dt[0] };
  const ymd = YMD.exec(relativeKey);
  if (ymd) {
    const [, y = '', m = '', d = ''] = ymd;
    return { layout: 'ymd', value: `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`, path: ymd[0] };
  }
  return null;
}

type DateFormat = { readonly re: RegExp; readonly format: (d: Date) => string };

const iso = (d: Date) => d.toISOString().slice(0, 10);
const DATE_FORMATS: readonly DateFormat[] = [
  { re: /^(\d{4})-(\d{2})-(\d{2})$/, format: iso },
  { re: /^(\d{4})(\d{2})(\d{2})$/, format: (d) => iso(d).replaceAll('-', '') },
];

/**
 * The partition value `n` days before `value`, in the same format, when the
 * value is a date (`2026-01-31` or `20260131`); null otherwise.
 */
export function daysBefore(value: string, n: number): string | null {
  for (const f of DATE_FORMATS) {
    const m = f.re.exec(value);
    if (!m) continue;
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (Number.isNaN(t)) return null;
    return f.format(new Date(t - n * 86_400_000));
  }
  return null;
}
