/**
 * No spec value can inject code: random strings (any code points, quotes, backslashes,
 * newlines, control and bidi characters) go into every free-text field of a spec; each
 * generated file must parse with Python's `ast`, and every value must come back exactly
 * as a string constant.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';

const NASTY = [
  '"""', "'''", '\\', '\\"', '"\n__import__("os").system("id")\n"', "')\nimport os\n#", '\u0000', '\r\n', '\u2028\u2029',
  '\u202e', '\ufeff', '{{ ds }}', '#', 'é🚀中文', '\ud83d', '\\N{BULLET}', '\\x41', 'f"{1}"', '\t', ' ',
];

const text = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('"', "'", '\\', '\n', 'a', ')', '#', '\u0085', '{'), minLength: 1, maxLength: 12 }) },
);

/** A spec whose every free-text field holds one of `values`, by position. */
function specWith(raw: (i: number) => string): { spec: object; fields: string[] } {
  // A ruleset must be valid DQDL (it is parsed at validation time): its value carries the
  // random text inside a column name, minus what DQDL strings cannot hold.
  // Warehouse names and order_by are names the loader takes (patterns in src/contract), not free text.
  // Asset URIs are printable ASCII (src/spec/asset-uri.ts); an x- scheme keeps any of it as written.
  const v = (i: number): string =>
    i === 3 || i === 38
      ? `x-${i}://${raw(i).replace(/[^\x21-\x7e]/g, '') || 'x'}`
      : i === 11
      ? `Rules = [ IsComplete "${raw(i).replace(/[^\p{L}\p{N}' {}()#_-]/gu, '') || 'x'}" ]`
      : i === 14 || i === 16
        ? 'analytics'
        : i === 17
          ? 'updated_at'
          : raw(i);
  const spec = {
    apiVersion: 'dagwright/v1',
    kind: 'Pipeline',
    name: 'injection',
    description: v(0),
    owner: v(1),
    tags: [v(2)],
    schedule: { assets: [v(3)] },
    start_date: '2026-01-01',
    defaults: { pool: v(4) },
    on_failure: { sns: 'arn:aws:sns:us-east-1:123456789012:t', aws_conn_id: v(5) },
    tasks: {
      sense: { type: 's3_sensor', bucket: v(6), key: v(7), aws_conn_id: v(8), doc: v(9) },
      pick: { type: 'bookmark', source: 's3://bucket/prefix/', connection: v(10), after: ['sense'] },
      check: { type: 'dq_check', ruleset: v(11), connection: v(12), after: ['pick'] },
      check_file: { type: 'dq_check', ruleset: 'Rules = [ RowCount > 0 ]', dataset: v(13) },
      up: { type: 'warehouse_available', warehouse: v(14), connection: v(15) },
      load: { type: 'load', warehouse: v(16), table: 't', mode: 'merge', keys: ['id'], order_by: v(17), after: ['check', 'up'], pool: v(18) },
      glue: { type: 'glue_job', job_name: v(19), region: v(20), script_args: { [v(21)]: v(22) } },
      tell: { type: 'notify', sns: 'arn:aws:sns:us-east-1:123456789012:t', message: v(23), subject: v(24) },
      call: { type: 'http', connection: v(25), endpoint: v(26), json: { [v(27)]: [v(28)] }, headers: { 'X-A': v(29) } },
      shell: { type: 'bash', command: v(30), env: { A: v(31) }, cwd: v(32), outlets: [v(38)] },
      each: { type: 'bash', command: 'echo', for_each: [v(33)] },
      py: { type: 'python', callable: 'm.n:f', kwargs: { [v(34)]: v(35) } },
      grp: { type: 'group', doc: v(36), tasks: { inner: { type: 'empty', doc: v(37) } } },
    },
  };
  return { spec, fields: Array.from({ length: 39 }, (_, i) => v(i)) };
}

const PYTHON_CHECK = String.raw`
import ast, json, sys
cases = json.load(open(sys.argv[1], encoding="utf-8"))
failures = []
for case in cases:
    source = open(case["file"], encoding="utf-8").read()
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        failures.append({"file": case["file"], "error": str(error)})
        continue
    constants = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    missing = [v for v in case["values"] if v not in constants]
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    if missing or calls & {"eval", "exec", "__import__", "compile", "open"}:
        failures.append({"file": case["file"], "missing": missing, "calls": sorted(calls)})
print(json.dumps(failures, ensure_ascii=True))
`;

describe('spec values are always Python literals', () => {
  it('random strings in every string field parse with ast and round-trip exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-injection-'));
    const cases: { file: string; values: string[] }[] = [];
    const samples = fc.sample(fc.array(text, { minLength: 39, maxLength: 39 }), { numRuns: 150, seed: 20261126 });
    for (const [n, values] of samples.entries()) {
      const { spec, fields } = specWith((i) => values[i] ?? 'x');
      const yamlText = stringify(spec);
      // YAML files are UTF-8: a value YAML cannot carry (a lone surrogate) cannot reach a spec.
      if (JSON.stringify(parse(yamlText)) !== JSON.stringify(spec)) continue;
      const result = compileSpec(`case${n}.yaml`, yamlText);
      expect(result.diagnostics, JSON.stringify(values)).toEqual([]);
      const file = join(dir, `case${n}.py`);
      writeFileSync(file, generateDag(result.model!, `case${n}.yaml`), 'utf8');
      cases.push({ file, values: fields });
    }
    expect(cases.length).toBeGreaterThan(100);
    const casesFile = join(dir, 'cases.json');
    writeFileSync(casesFile, JSON.stringify(cases), 'utf8');
    const python = process.env['DAGWRIGHT_PYTHON'] ?? 'python3';
    const failures = JSON.parse(execFileSync(python, ['-c', PYTHON_CHECK, casesFile], { encoding: 'utf8' })) as unknown[];
    expect(failures).toEqual([]);
    // Whatever the values, the layout is still what ruff would write.
    const ruff = process.env['DAGWRIGHT_RUFF'];
    if (ruff) {
      execFileSync(ruff, ['format', '--check', '--no-cache', '--isolated', dir], { encoding: 'utf8', stdio: 'pipe' });
      execFileSync(ruff, ['check', '--no-cache', '--isolated', dir], { encoding: 'utf8', stdio: 'pipe' });
    }
  });
});
