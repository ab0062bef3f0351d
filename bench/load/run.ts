/**
 * bench/load: an idempotent merge load through the loader into PostgreSQL,
 * against the limit (a raw `psql \copy` of the same file into an empty table)
 * and a naive loader (one INSERT per row), in the same run. Prints ratios and
 * the loader's peak memory at two sizes (it streams, so it should not grow).
 *
 * The merge into an empty table takes the loader's direct path (COPY straight
 * into the table, the primary key catching any duplicate); the merge into a
 * table that already holds half the keys takes the staged path (COPY into a
 * staging table, dedupe, MERGE). Both are reported, with the path each took.
 *
 *   npx tsx bench/load/run.ts [--rows 5000000] [--naive-sample 20000] [--formats csv,parquet] [--repeat 1] [--keep]
 *
 * With --repeat N the raw copy and each loader run are repeated N times,
 * interleaved, each into a fresh table, and the medians are reported (use it
 * on a busy machine: the ratios come from the same run either way).
 *
 * Needs DAGWRIGHT_PG_URL and DAGWRIGHT_S3_ENDPOINT (scripts/postgres.sh start; scripts/moto.sh start).
 * Run by hand; not part of the test suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import pg from 'pg';
import { COLUMNS, csvToParquet, tableDdl, writeCsv } from './data.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i] as string;
  if (a.startsWith('--')) args.set(a.slice(2), process.argv[i + 1]?.startsWith('--') || process.argv[i + 1] === undefined ? 'true' : (process.argv[++i] as string));
}
const ROWS = Number(args.get('rows') ?? 5_000_000);
const NAIVE = Math.min(ROWS, Number(args.get('naive-sample') ?? 20_000));
const FORMATS = (args.get('formats') ?? 'csv,parquet').split(',');
const KEEP = args.has('keep');
const REPEAT = Math.max(1, Number(args.get('repeat') ?? 1));
const pgUrl = process.env.DAGWRIGHT_PG_URL;
const s3Endpoint = process.env.DAGWRIGHT_S3_ENDPOINT;
if (!pgUrl || !s3Endpoint) {
  console.error('bench/load needs DAGWRIGHT_PG_URL and DAGWRIGHT_S3_ENDPOINT: start them with scripts/postgres.sh start and scripts/moto.sh start');
  process.exit(2);
}
const CHILD = fileURLToPath(new URL('./loader-child.ts', import.meta.url));

const fmtMs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmtMb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const fmtRate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')}/s`;
const step = (m: string) => console.error(`[bench] ${m}`);

const work = mkdtempSync(join(tmpdir(), 'dw-bench-load-'));
const schema = `bench_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
const s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true });
const bucket = `dw-bench-${Date.now().toString(36)}`;

try {
  const small = Math.max(1, Math.floor(ROWS / 5));
  step(`writing ${ROWS.toLocaleString('en-US')} rows of CSV (and ${small.toLocaleString('en-US')} for the memory comparison)`);
  const csvPath = join(work, 'rows.csv');
  const smallPath = join(work, 'rows-small.csv');
  await writeCsv(csvPath, ROWS);
  await writeCsv(smallPath, small);
  const parquetPath = join(work, 'rows.parquet');
  if (FORMATS.includes('parquet')) {
    step('converting to Parquet (DuckDB)');
    await csvToParquet(csvPath, parquetPath);
    await csvToParquet(smallPath, join(work, 'rows-small.parquet'));
  }
  step('uploading to S3 (moto)');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const upload = (key: string, path: string) => new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: createReadStream(path) }, partSize: 64 * 1024 * 1024, queueSize: 2 }).done();
  await upload('rows.csv', csvPath);
  await upload('rows-small.csv', smallPath);
  if (FORMATS.includes('parquet')) {
    await upload('rows.parquet', parquetPath);
    await upload('rows-small.parquet', join(work, 'rows-small.parquet'));
  }

  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(tableDdl(`${schema}.naive`));
  const warehouse = new URL(pgUrl);
  warehouse.searchParams.set('schema', schema);
  warehouse.searchParams.set('ledger', `${schema}.dagwright_load_ledger`);
  let tables = 0;
  const fresh = async () => {
    const t = `${schema}.t${++tables}`;
    await admin.query(tableDdl(t));
    await admin.query('CHECKPOINT');
    return t;
  };

  const rawRuns: number[] = [];
  let rawTable = '';
  const raw = async () => {
    const table = await fresh();
    rawTable = table;
    step(`raw: psql \\copy into an empty table (${table})`);
    const started = performance.now();
    const psql = spawnSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy ${table} FROM '${csvPath}' WITH (FORMAT csv, HEADER true)`], { stdio: ['ignore', 'ignore', 'pipe'] });
    rawRuns.push(performance.now() - started);
    if (psql.status !== 0) throw new Error(`psql failed: ${psql.stderr.toString()}`);
    const n = (await admin.query(`SELECT COUNT(*)::int AS n FROM ${table}`)).rows[0].n;
    if (n !== ROWS) throw new Error(`raw copy loaded ${n} rows`);
  };

  interface LoadRun { readonly ms: number; readonly peak: number; readonly result: Record<string, unknown>; readonly phases: Record<string, number>; readonly path: string }
  const loadRuns = new Map<string, { rows: number; runs: LoadRun[] }>();
  /** `halfFull`: the table first gets the even ids of the raw copy's table (vacuumed and analysed), so the merge updates half and inserts half. */
  const load = async (name: string, key: string, rows: number, halfFull = false) => {
    const table = await fresh();
    if (halfFull) {
      await admin.query(`INSERT INTO ${table} SELECT * FROM ${rawTable} WHERE id % 2 = 0`);
      await admin.query(`VACUUM ANALYZE ${table}`);
      await admin.query('CHECKPOINT');
    }
    step(`loader: ${name} (${table})`);
    const body = { warehouse: 'bench', table, mode: 'merge', keys: ['id'], order_by: 'updated_at', batch: { objects: [`s3://${bucket}/${key}`] } };
    const out = await child({ LOAD_BODY: JSON.stringify(body), DAGWRIGHT_WAREHOUSE_BENCH: warehouse.toString(), DAGWRIGHT_S3_ENDPOINT: s3Endpoint, DAGWRIGHT_LOADER_SECRETS: '', DAGWRIGHT_LOADER_DUCKDB: join(work, 'unused.duckdb') });
    if (out.job.status !== 'succeeded') throw new Error(`${name} failed: ${JSON.stringify(out.job.error)}`);
    const n = (await admin.query(`SELECT COUNT(*)::int AS n FROM ${table}`)).rows[0].n;
    if (n !== rows) throw new Error(`${name} left ${n} rows, not ${rows}`);
    const entry = loadRuns.get(name) ?? { rows, runs: [] };
    entry.runs.push({ ms: out.wall_ms, peak: out.peak_rss, result: out.job.result, phases: out.phases, path: out.path });
    loadRuns.set(name, entry);
  };

  for (let i = 0; i < REPEAT; i++) {
    await raw();
    await load('merge, CSV', 'rows.csv', ROWS);
    if (FORMATS.includes('parquet')) await load('merge, Parquet', 'rows.parquet', ROWS);
    if (FORMATS.includes('csv')) await load('merge, CSV, half the keys present', 'rows.csv', ROWS, true);
  }
  await load('merge, CSV, small', 'rows-small.csv', small);
  if (FORMATS.includes('parquet')) await load('merge, Parquet, small', 'rows-small.parquet', small);

  step(`naive: one INSERT per row, autocommit, ${NAIVE.toLocaleString('en-US')} rows`);
  const naiveMs = await naiveInsert(csvPath, `${schema}.naive`, NAIVE);
  const naiveFull = (naiveMs / NAIVE) * ROWS;

  const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
  const rawMs = median(rawRuns);
  const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
  const lines: string[] = [];
  const row = (name: string, ms: number, rows: number, ratio: string, peak: string, path = '—') =>
    lines.push(`${name.padEnd(72)} ${fmtMs(ms).padStart(9)} ${fmtRate(rows, ms).padStart(12)} ${ratio.padStart(7)} ${peak.padStart(9)}  ${path}`);
  lines.push('');
  lines.push(`bench/load: ${ROWS.toLocaleString('en-US')} rows (CSV ${fmtMb(statSync(csvPath).size)}${FORMATS.includes('parquet') ? `, Parquet ${fmtMb(statSync(parquetPath).size)}` : ''}), merge on id into a table with a primary key`);
  lines.push(`PostgreSQL ${pgVersion}, S3 on moto, ${spawnSync('nproc').stdout.toString().trim()} cores, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}; ${REPEAT > 1 ? `medians of ${REPEAT} interleaved runs` : 'one run each'}`);
  lines.push(`${'run'.padEnd(72)} ${'time'.padStart(9)} ${'rows'.padStart(12)} ${'× raw'.padStart(7)} ${'peak RSS'.padStart(9)}  path`);
  row('raw psql \\copy of the CSV (local file) into an empty table', rawMs, ROWS, '1.00', '—');
  for (const [name, { rows, runs }] of loadRuns) {
    const ms = median(runs.map((r) => r.ms));
    const label = name.endsWith('small')
      ? `loader ${name.replace(', small', '')}, ${rows.toLocaleString('en-US')} rows`
      : name.includes('half')
        ? `loader ${name.replace(', half the keys present', '')}, into a table holding half the keys`
        : `loader ${name}, into an empty table (from S3, via the service)`;
    row(label, ms, rows, rows === ROWS ? (ms / rawMs).toFixed(2) : '', fmtMb(Math.max(...runs.map((r) => r.peak))), [...new Set(runs.map((r) => r.path))].join(', '));
  }
  row(`naive INSERT per row, autocommit (${NAIVE.toLocaleString('en-US')} rows timed, ×${(ROWS / NAIVE).toFixed(0)})`, naiveFull, ROWS, (naiveFull / rawMs).toFixed(1), '—');
  lines.push('');
  for (const format of ['CSV', 'Parquet']) {
    const big = loadRuns.get(`merge, ${format}`);
    const little = loadRuns.get(`merge, ${format}, small`);
    if (!big || !little) continue;
    const pb = Math.max(...big.runs.map((r) => r.peak));
    const pl = Math.max(...little.runs.map((r) => r.peak));
    lines.push(`memory, ${format}: peak RSS ${fmtMb(pl)} at ${little.rows.toLocaleString('en-US')} rows, ${fmtMb(pb)} at ${big.rows.toLocaleString('en-US')} rows (${pb >= pl ? '+' : ''}${(((pb - pl) / pl) * 100).toFixed(0)}% for ${(big.rows / little.rows).toFixed(0)}× the rows)`);
  }
  for (const name of ['merge, CSV', 'merge, Parquet', 'merge, CSV, half the keys present']) {
    const big = loadRuns.get(name);
    if (!big) continue;
    const ratio = median(big.runs.map((r) => r.ms)) / rawMs;
    lines.push(`goal, the idempotent merge within 1.5× of the raw copy, ${name.replace('merge, ', '')}: ${ratio.toFixed(2)}× — ${ratio <= 1.5 ? 'met' : 'not met'}`);
  }
  lines.push(`raw copy runs: ${rawRuns.map(fmtMs).join(', ')}; loader CSV runs: ${(loadRuns.get('merge, CSV')?.runs ?? []).map((r) => fmtMs(r.ms)).join(', ')}`);
  for (const name of ['merge, CSV', 'merge, Parquet', 'merge, CSV, half the keys present']) {
    const runs = loadRuns.get(name)?.runs ?? [];
    const mid = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
    if (mid) lines.push(`where the time goes (${name.replace('merge, ', '')}, the median run, ${mid.path}): ${Object.entries(mid.phases).map(([k, v]) => `${k} ${fmtMs(v)}`).join(', ')}`);
  }
  lines.push('(stage = S3 → COPY, into the table on the direct path, into a staging table on the staged path; write = the ledger row, and on the staged path the dedupe and the MERGE)');
  lines.push(`the loader's result (CSV): ${JSON.stringify(loadRuns.get('merge, CSV')?.runs[0]?.result)}`);
  lines.push(`naive: timed on the first ${NAIVE.toLocaleString('en-US')} rows only and scaled linearly to ${ROWS.toLocaleString('en-US')} (a full row-by-row run would take about ${fmtMs(naiveFull)}).`);
  console.log(lines.join('\n'));
} finally {
  if (!KEEP) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
  await admin.end();
}

interface ChildOut {
  job: { status: string; error?: unknown; result: Record<string, unknown> };
  wall_ms: number;
  peak_rss: number;
  phases: Record<string, number>;
  path: string;
}

/** Runs one load in a loader process; its log line `load committed` gives the phases. */
async function child(env: Record<string, string>): Promise<ChildOut> {
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let last = '';
  let phases: Record<string, number> = {};
  let path = '?';
  const errors: string[] = [];
  createInterface({ input: p.stdout }).on('line', (l) => (last = l));
  createInterface({ input: p.stderr }).on('line', (l) => {
    try {
      const entry = JSON.parse(l) as { msg?: string; phases_ms?: Record<string, number>; path?: string };
      if (entry.msg === 'load committed' && entry.phases_ms) {
        phases = entry.phases_ms;
        path = entry.path ?? '?';
      }
      else if (!/NodeVersion|versions published|node >=22|AWS services|security updates|a\.co|trace-warnings/.test(l) && l.trim()) errors.push(l);
    } catch {
      if (!/NodeVersion|versions published|node >=22|AWS services|security updates|a\.co|trace-warnings/.test(l) && l.trim()) errors.push(l);
    }
  });
  const code = await new Promise<number | null>((resolve) => p.on('exit', resolve));
  if (code !== 0 || !last) throw new Error(`loader child exited ${code}: ${errors.join('\n')}`);
  return { ...(JSON.parse(last) as Omit<ChildOut, 'phases' | 'path'>), phases, path };
}

/** The naive loader: read the CSV, one parameterised INSERT per row, each its own transaction. */
async function naiveInsert(path: string, table: string, limit: number): Promise<number> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  const lines = createInterface({ input: createReadStream(path) });
  const sql = `INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5, $6)`;
  let n = -1;
  const started = performance.now();
  for await (const line of lines) {
    if (n++ < 0) continue;
    if (n > limit) break;
    await client.query(sql, line.split(','));
  }
  const ms = performance.now() - started;
  lines.close();
  await client.end();
  return ms;
}
