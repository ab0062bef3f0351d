/**
 * Reads the runs (JSON lines from engine.ts and soda_bench.py) and prints medians, rows per
 * second, ratios to the hand-written query and peak memory; checks that dagwright and the
 * hand-written query computed the same metrics.
 *
 *   npx tsx bench/dq/report.ts <results.jsonl> <rows>
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Run {
  engine: string;
  ms: number;
  peak_rss_mb: number;
  metrics?: Record<string, number>;
  failed?: string[];
}

/** dagwright's metric name → the hand-written query's column. */
const SAME: Readonly<Record<string, string>> = {
  'Dataset.*.RowCount': 'row_count',
  'Column.id.Completeness': 'id_completeness',
  'Column.customer.Completeness': 'customer_completeness',
  'Column.amount.Completeness': 'amount_completeness_ok',
  'Column.amount.Mean': 'amount_mean',
  'Column.amount.Sum': 'amount_sum',
  'Column.amount.StandardDeviation': 'amount_stddev',
  'Column.amount.ColumnValues.Compliance': 'amount_nonnegative',
  'Column.status.ColumnValues.Compliance': 'status_valid',
  'Column.country.ColumnValues.Compliance': 'country_valid',
  'Column.code.MaximumLength': 'code_max_length',
  'Multicolumn.amount,qty.ColumnCorrelation': 'amount_qty_correlation',
  'Column.created.DataFreshness.Compliance': 'created_fresh',
  'Column.id.Uniqueness': 'id_uniqueness',
  'Multicolumn.customer,day.Uniqueness': 'customer_day_uniqueness',
  'Column.customer.UniqueValueRatio': 'customer_unique_value_ratio',
  'Column.country.DistinctValuesCount': 'country_distinct',
  'Column.status.Entropy': 'status_entropy',
};

const [file, rowsArg] = process.argv.slice(2) as [string, string];
const rows = Number(rowsArg);
const runs = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Run);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const engines = [...new Set(runs.map((r) => r.engine))];
const stats = new Map(engines.map((e) => {
  const mine = runs.filter((r) => r.engine === e);
  return [e, { ms: median(mine.map((r) => r.ms)), best: Math.min(...mine.map((r) => r.ms)), peak: Math.max(...mine.map((r) => r.peak_rss_mb)), n: mine.length }] as const;
}));
const limit = stats.get('handwritten')?.ms ?? Number.NaN;
/** Each run against the hand-written run of the same round (engines take turns): robust to load that changes over time. */
const limitRuns = runs.filter((r) => r.engine === 'handwritten').map((r) => r.ms);
const paired = (e: string) => median(runs.filter((r) => r.engine === e).map((r, i) => r.ms / (limitRuns[i] ?? Number.NaN)));
const lines = [
  `${rows.toLocaleString('en-US')} rows, 20 rules; ${stats.get('dagwright')?.n ?? 0} runs each (fresh process per run, engines taking turns); "same round": the median of each run's ratio to the hand-written run of its round`,
  '',
  '| engine | median | best | rows/s (median) | × hand-written SQL: medians | best | same round | peak RSS |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...engines.map((e) => {
    const s = stats.get(e)!;
    const best = stats.get('handwritten')?.best ?? Number.NaN;
    return `| ${e} | ${(s.ms / 1000).toFixed(2)} s | ${(s.best / 1000).toFixed(2)} s | ${Math.round(rows / (s.ms / 1000)).toLocaleString('en-US')} | ${(s.ms / limit).toFixed(2)} | ${(s.best / best).toFixed(2)} | ${paired(e).toFixed(2)} | ${s.peak} MB |`;
  }),
];
const ours = runs.find((r) => r.engine === 'dagwright')?.metrics ?? {};
const theirs = runs.find((r) => r.engine === 'handwritten')?.metrics ?? {};
const differ = Object.entries(SAME).filter(([a, b]) => {
  const x = ours[a];
  const y = theirs[b];
  return x === undefined || y === undefined || Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x));
});
lines.push('', differ.length === 0 ? `dagwright and the hand-written query agree on all ${Object.keys(SAME).length} metrics they share.` : `METRICS DIFFER: ${differ.map(([a, b]) => `${a}=${ours[a]} vs ${b}=${theirs[b]}`).join('; ')}`);
const soda = runs.filter((r) => r.engine === 'soda-core' && (r.failed ?? []).length > 0);
if (soda.length > 0) lines.push(`soda-core reported failed checks: ${soda[0]!.failed!.join(', ')}`);
process.stdout.write(`${lines.join('\n')}\n`);
writeFileSync(file.replace(/\.jsonl$/, '.md'), `${lines.join('\n')}\n`);
if (differ.length > 0) process.exitCode = 1;
