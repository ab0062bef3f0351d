/**
 * dagwright's side of bench/fidelity's timing, in one process like bench/dq/engine.ts:
 *
 *   npx tsx --conditions=@dagwright/source bench/fidelity/time-dagwright.ts <parquet> <rules.dqdl> <runs>
 *
 * Evaluates the ruleset `runs` times (each a fresh in-memory DuckDB, as `dagwright dq eval`
 * does) and prints one JSON line: {engine, runs_ms, rules}. The clock covers the evaluation
 * only (DuckDB start, parse, plan, scans, verdicts), not node's start-up.
 */
import { readFileSync } from 'node:fs';
import { parseRuleset } from '@dagwright/dqdl';
import { evaluate } from '@dagwright/dqdl/eval';

const [file, spec, runsArg] = process.argv.slice(2) as [string, string, string];
const runs = Number(runsArg ?? '3');
const runsMs: number[] = [];
let rules = 0;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const { ruleset, diagnostics } = parseRuleset(readFileSync(spec, 'utf8'));
  if (ruleset === undefined) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const { evaluation, errors } = await evaluate({ ruleset, data: { files: [file], format: 'parquet' } });
  if (evaluation === undefined) throw new Error(JSON.stringify(errors));
  runsMs.push(Math.round(performance.now() - t0));
  rules = evaluation.rules.length;
}
process.stdout.write(`${JSON.stringify({ engine: 'dagwright', runs_ms: runsMs, rules })}\n`);
