/**
 * One timed run in a fresh process, so peak memory is this run's alone:
 *
 *   npx tsx --conditions=@dagwright/source bench/dq/engine.ts dagwright <parquet> <rules.dqdl>
 *   npx tsx --conditions=@dagwright/source bench/dq/engine.ts handwritten <parquet> <handwritten.sql>
 *
 * Prints one JSON line: {engine, ms, peak_rss_mb, metrics}. The clock runs from the start
 * of the evaluation (or query) to its result; process start-up is not counted.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseRuleset } from '@dagwright/dqdl';
import { evaluate } from '@dagwright/dqdl/eval';

const [engine, file, spec] = process.argv.slice(2) as [string, string, string];
const NOW = Date.parse('2026-06-01T00:00:00Z');

async function dagwright(): Promise<Record<string, number>> {
  const { ruleset, diagnostics } = parseRuleset(readFileSync(spec, 'utf8'));
  if (ruleset === undefined) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const { evaluation, errors } = await evaluate({ ruleset, data: { files: [file], format: 'parquet' }, now: new Date(NOW) });
  if (evaluation === undefined) throw new Error(JSON.stringify(errors));
  const failed = evaluation.rules.filter((r) => r.result !== 'PASS');
  if (failed.length > 0) throw new Error(`rules did not pass: ${JSON.stringify(failed)}`);
  return Object.assign({}, ...evaluation.rules.map((r) => r.metrics));
}

async function handwritten(): Promise<Record<string, number>> {
  const sql = readFileSync(spec, 'utf8').replaceAll('{{file}}', file.replaceAll("'", "''")).replaceAll('{{now}}', `${NOW / 1000}`);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const [row] = (await conn.runAndReadAll(sql)).getRowObjectsJS();
  conn.closeSync();
  db.closeSync();
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

const t0 = performance.now();
const metrics = engine === 'dagwright' ? await dagwright() : await handwritten();
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ engine, ms: Math.round(ms), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), metrics })}\n`);
