/**
 * `dagwright dq`: DQDL rulesets from the command line.
 *
 *   dq lint <file>     diagnostics as file:line:col with a caret (the parser's, and what the
 *                      evaluator refuses before reading data); exit 1 when invalid
 *   dq fmt <file>      the canonical text (--write to rewrite the file, --check to exit 3 when it differs)
 *   dq eval --data <path...> --rules <file> [--format csv|jsonl|parquet] [--json]
 *           [--ref alias=path] [--history metrics.json] [--explain]
 *                      a results table (or Glue-shaped JSON); exit 1 when a rule does not pass.
 *                      A rule with a binding problem (unknown column, invalid where clause,
 *                      CustomSql that does not bind, ...) is ERROR, its problem also on
 *                      stderr as file:line:col; the other rules are evaluated as usual.
 *                      Exit 2 for an input it cannot use: a data or reference path it cannot
 *                      read, a --history file that is not a metric history (dq-history.ts)
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { parseRuleset, printRuleset, type Ruleset } from '@dagwright/dqdl';
import { SourceText } from '../../diagnostics/source-text.js';
import { EXIT } from '../exit-codes.js';
import { whyUnreadable } from '../file-problem.js';
import { formatEvalError, printDiagnostics } from '../report.js';
import { parseHistory, printHistory, type MetricHistory } from './dq-history.js';

type Exit = (code: number) => void;

function readRuleset(file: string): { source: SourceText; ruleset?: Ruleset; code?: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`dagwright: cannot read ${file}: ${(err as Error).message}\n`);
    return { source: new SourceText(''), code: EXIT.invalid };
  }
  const { ruleset, diagnostics } = parseRuleset(text);
  const source = new SourceText(text);
  printDiagnostics(diagnostics.map((d) => ({ ...d, file })), source);
  return ruleset === undefined ? { source, code: EXIT.invalid } : { source, ruleset };
}

/**
 * The parser's checks, then the evaluator's checks that need no data
 * (`checkRulesetStatically`): what lints is what `dq eval` and the dq service run.
 */
export async function lintCommand(file: string): Promise<number> {
  const { source, ruleset, code } = readRuleset(file);
  if (ruleset === undefined) return code ?? EXIT.invalid;
  const { checkRulesetStatically } = await import('@dagwright/dqdl/check');
  const problems = await checkRulesetStatically(ruleset);
  printDiagnostics(problems.map((p) => ({ ...p, file })), source);
  if (problems.length > 0) return EXIT.invalid;
  process.stderr.write(`${file}: ok (${ruleset.rules.length} rules, ${ruleset.analyzers.length} analyzers)\n`);
  return EXIT.ok;
}

export function fmtCommand(file: string, options: { write?: boolean; check?: boolean }): number {
  const { source, ruleset, code } = readRuleset(file);
  if (ruleset === undefined) return code ?? EXIT.invalid;
  const canonical = `${printRuleset(ruleset)}\n`;
  if (options.check === true) {
    if (canonical === source.text) return EXIT.ok;
    process.stderr.write(`${file}: not in canonical form (run dagwright dq fmt --write ${file})\n`);
    return EXIT.stale;
  }
  if (options.write === true) {
    if (canonical !== source.text) writeFileSync(file, canonical);
    return EXIT.ok;
  }
  process.stdout.write(canonical);
  return EXIT.ok;
}

/** A file, or every data file in a directory (recursively; hidden files and markers skipped). */
export function dataFiles(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !e.name.startsWith('_'))
    .flatMap((e) => (e.isDirectory() ? dataFiles(path.join(target, e.name)) : [path.join(target, e.name)]))
    .sort();
}

export interface EvalCommandOptions {
  readonly data: string[];
  readonly rules: string;
  readonly format?: 'csv' | 'jsonl' | 'parquet';
  readonly json?: boolean;
  readonly ref?: string[];
  readonly history?: string;
  readonly explain?: boolean;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The `--history` file's history (none yet when there is no file), or undefined once its problem is printed. */
function readHistoryFile(file: string): MetricHistory | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    process.stderr.write(`dagwright: cannot read ${file}: ${whyUnreadable(err)}\n`);
    return undefined;
  }
  const parsed = parseHistory(text);
  if ('history' in parsed) return parsed.history;
  printDiagnostics([{ ...parsed.problem, file }], new SourceText(text));
  return undefined;
}

/** The first data or reference path that cannot be read, printed with why. */
function unreadablePath(paths: readonly string[]): string | undefined {
  for (const p of paths) {
    try {
      statSync(p);
    } catch (err) {
      process.stderr.write(`dagwright: cannot read ${p}: ${whyUnreadable(err)}\n`);
      return p;
    }
  }
  return undefined;
}

export async function evalCommand(options: EvalCommandOptions): Promise<number> {
  const { source, ruleset, code } = readRuleset(options.rules);
  if (ruleset === undefined) return code ?? EXIT.invalid;
  if (unreadablePath([...options.data, ...(options.ref ?? []).map((r) => r.slice(r.indexOf('=') + 1))]) !== undefined) return EXIT.usage;
  const references: Record<string, { files: string[] }> = {};
  for (const r of options.ref ?? []) {
    const eq = r.indexOf('=');
    if (eq <= 0) {
      process.stderr.write(`dagwright: --ref takes alias=path, not ${r}\n`);
      return EXIT.usage;
    }
    references[r.slice(0, eq)] = { files: dataFiles(r.slice(eq + 1)) };
  }
  const stored = options.history === undefined ? {} : readHistoryFile(options.history);
  if (stored === undefined) return EXIT.usage;
  const { evaluate, toGlueResult } = await import('@dagwright/dqdl/eval');
  const result = await evaluate({
    ruleset,
    data: { files: options.data.flatMap(dataFiles), ...(options.format !== undefined ? { format: options.format } : {}) },
    references,
    history: (key) => stored[key] ?? [],
  });
  for (const e of result.errors) process.stderr.write(`${formatEvalError(options.rules, source, e)}\n`);
  const evaluation = result.evaluation;
  if (evaluation === undefined) return EXIT.invalid;
  // A rule's binding problem (unknown column, invalid where clause, ...) errors that rule
  // only: located here, and its ERROR result is in the table or JSON with the others.
  for (const r of [...evaluation.rules, ...evaluation.analyzers]) {
    for (const e of r.problems ?? []) process.stderr.write(`${formatEvalError(options.rules, source, e)}\n`);
  }
  if (options.history !== undefined) {
    for (const [key, value] of Object.entries(evaluation.history)) stored[key] = [value, ...(stored[key] ?? [])].slice(0, 100);
    writeFileSync(options.history, printHistory(stored));
  }
  if (options.explain === true) process.stderr.write(`-- ${result.plan?.groupings.length ?? 0} grouped pass(es), ${result.plan?.queries.length ?? 0} own queries\n${result.plan?.sql ?? ''}\n${(result.plan?.queries ?? []).join(';\n')}\n`);
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(toGlueResult(evaluation), null, 2)}\n`);
  } else {
    const width = Math.min(60, Math.max(4, ...evaluation.rules.map((r) => r.rule.length)));
    for (const r of evaluation.rules) {
      const metrics = Object.entries(r.metrics).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stdout.write(`${pad(r.name, 8)} ${pad(r.result, 5)} ${pad(r.rule, width)}  ${metrics}${r.message !== undefined ? `\n${' '.repeat(15)}${r.message.replaceAll('\n', `\n${' '.repeat(15)}`)}` : ''}\n`);
    }
    for (const a of evaluation.analyzers) {
      const metrics = Object.entries(a.metrics).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stdout.write(`${pad(a.name, 14)} ${pad(a.analyzer, width)}  ${metrics}${a.message !== undefined ? `  (${a.message})` : ''}\n`);
    }
    const passed = evaluation.rules.filter((r) => r.result === 'PASS').length;
    process.stdout.write(`score ${evaluation.score.toFixed(2)}: ${passed} of ${evaluation.rules.length} rules passed, ${evaluation.rowCount} rows\n`);
  }
  return evaluation.rules.every((r) => r.result === 'PASS') ? EXIT.ok : EXIT.invalid;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers `dq lint`, `dq fmt` and `dq eval`. */
export function registerDqCommands(program: Command, setExitCode: Exit): void {
  const dq = program.command('dq').description('DQDL (AWS Glue Data Quality) rulesets: lint, format, evaluate');
  dq.command('lint')
    .description('check a ruleset and print every problem as file:line:col')
    .argument('<file>', 'a DQDL file')
    .action(async (file: string) => setExitCode(await lintCommand(file)));
  dq.command('fmt')
    .description('print a ruleset in canonical form')
    .argument('<file>', 'a DQDL file')
    .option('--write', 'rewrite the file instead of printing')
    .option('--check', 'write nothing; exit 3 when the file is not canonical')
    .action((file: string, options: { write?: boolean; check?: boolean }) => setExitCode(fmtCommand(file, options)));
  dq.command('eval')
    .description('evaluate a ruleset on data files with DuckDB; exit 1 when a rule does not pass')
    .requiredOption('--data <path>', 'a data file or folder (repeatable)', collect)
    .requiredOption('--rules <file>', 'the DQDL file')
    .addOption(new Option('--format <format>', 'the data format (inferred from the names or contents)').choices(['csv', 'jsonl', 'parquet']))
    .option('--json', 'print Glue-shaped JSON (GetDataQualityResult)')
    .option('--ref <alias=path>', 'a reference dataset for ReferentialIntegrity, DatasetMatch, ... (repeatable)', collect)
    .option('--history <file>', 'a JSON file of metric history for dynamic rules; this run is added to it')
    .option('--explain', 'print the SQL the ruleset compiles to on stderr')
    .action(async (options: EvalCommandOptions) => setExitCode(await evalCommand(options)));
}
