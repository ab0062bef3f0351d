/**
 * scripts/test-summary.mjs: the totals of scripts/test-all.sh, from the JUnit reports that
 * vitest and pytest wrote (test/scripts/junit: real reports of small sample suites).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countPart, junitCounts, summarise } from '../../scripts/test-summary.mjs';
import { REPO_ROOT } from '../helpers/paths.js';

const JUNIT = join(REPO_ROOT, 'test', 'scripts', 'junit');
const report = (name: string): string => readFileSync(join(JUNIT, name), 'utf8');
const noReport = (): undefined => undefined;

describe('junitCounts', () => {
  it.each([
    // 4 tests in a.test.ts (1 passed, 1 failed, 1 skipped, 1 todo) and b.test.ts failing to load
    ['vitest.xml', { tests: 5, failed: 2, skipped: 2 }],
    // passed, failed, skipped, a fixture error, two parametrised
    ['pytest.xml', { tests: 6, failed: 2, skipped: 1 }],
    // vitest --passWithNoTests with no test file: a bare <testsuites>
    ['vitest-no-files.xml', { tests: 0, failed: 0, skipped: 0 }],
  ])('%s', (file, want) => {
    expect(junitCounts(report(file))).toEqual(want);
  });

  it.each([
    ['not XML', 'Error: no such file'],
    ['another XML document', '<?xml version="1.0"?><coverage lines-valid="3"/>'],
    ['counts that are not numbers', '<testsuites><testsuite tests="many" failures="0"></testsuite></testsuites>'],
  ])('is undefined for %s', (_, text) => {
    expect(junitCounts(text)).toBeUndefined();
  });
});

describe('countPart', () => {
  const reports = (path: string): string | undefined => report(path);
  it.each([
    ['a vitest run', 'junit\tvitest\t1\tvitest.xml\t12', { name: 'vitest', passed: 1, failed: 2, note: 'exit 1, 2 skipped (12s)', broken: false }],
    ['a pytest run', 'junit\tpytest airflow-3.1.8\t1\tpytest.xml\t40', { name: 'pytest airflow-3.1.8', passed: 3, failed: 2, note: 'exit 1, 1 skipped (40s)', broken: false }],
    ['a run with no test file', 'junit\tvitest\t0\tvitest-no-files.xml\t3', { name: 'vitest', passed: 0, failed: 0, note: 'exit 0, no tests (3s)', broken: false }],
    ['a run that failed with every test passed', 'junit\tvitest\t1\tvitest-no-files.xml\t3', { name: 'vitest', passed: 0, failed: 1, note: 'exit 1, no tests (3s)', broken: false }],
    ['a step that failed outright', 'broken\tvenv tools\tcould not be built', { name: 'venv tools', passed: 0, failed: 1, note: 'could not be built', broken: true }],
    ['nothing to run', 'empty\tpytest airflow-3.1.8\tno tests collected (2s)', { name: 'pytest airflow-3.1.8', passed: 0, failed: 0, note: 'no tests collected (2s)', broken: false }],
  ])('%s', (_, line, want) => {
    expect(countPart(line, reports)).toEqual(want);
  });

  it('counts a run without a report as a broken step', () => {
    expect(countPart('junit\tcompose e2e\t2\t/nowhere.xml\t95', noReport)).toEqual({ name: 'compose e2e', passed: 0, failed: 1, note: 'exit 2, no report (95s)', broken: true });
    expect(countPart('junit\tvitest\t0\tempty.xml\t1', () => '')).toMatchObject({ failed: 1, broken: true });
  });

  it('counts a line it does not know as a broken step', () => {
    expect(countPart('junk', noReport)).toMatchObject({ name: 'junk', failed: 1, broken: true });
  });
});

describe('summarise', () => {
  it('prints one line per part, the broken steps, and the total last', () => {
    const { lines, ok } = summarise([
      { name: 'venv tools', passed: 0, failed: 1, note: 'could not be built', broken: true },
      { name: 'vitest', passed: 2806, failed: 0, note: 'exit 0 (430s)', broken: false },
      { name: 'pytest airflow-3.1.8', passed: 12, failed: 3, note: '', broken: false },
    ]);
    expect(lines).toEqual([
      'venv tools                            0 passed,    1 failed  (could not be built)',
      'vitest                             2806 passed,    0 failed  (exit 0 (430s))',
      'pytest airflow-3.1.8                 12 passed,    3 failed',
      '1 step(s) failed outright (each counted as 1 failed above)',
      'Tests: 2818 passed, 4 failed',
    ]);
    expect(ok).toBe(false);
  });

  it('is ok when nothing failed', () => {
    expect(summarise([{ name: 'vitest', passed: 3, failed: 0, note: '', broken: false }])).toEqual({ lines: ['vitest                                3 passed,    0 failed', 'Tests: 3 passed, 0 failed'], ok: true });
    expect(summarise([])).toEqual({ lines: ['Tests: 0 passed, 0 failed'], ok: true });
  });
});

describe('node scripts/test-summary.mjs PARTS_FILE', () => {
  it('prints the summary, the total last, and exits 1 when a test failed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-summary-'));
    const parts = join(dir, 'parts.tsv');
    writeFileSync(parts, [`junit\tvitest\t1\t${join(JUNIT, 'vitest.xml')}\t12`, `junit\tpytest airflow-3.1.8\t1\t${join(JUNIT, 'pytest.xml')}\t40`, ''].join('\n'));
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'test-summary.mjs'), parts], { encoding: 'utf8' });
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'vitest                                1 passed,    2 failed  (exit 1, 2 skipped (12s))',
      'pytest airflow-3.1.8                  3 passed,    2 failed  (exit 1, 1 skipped (40s))',
      'Tests: 4 passed, 4 failed',
    ]);
    expect(run.status).toBe(1);
  });

  it('exits 0 when nothing failed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-summary-'));
    const parts = join(dir, 'parts.tsv');
    writeFileSync(parts, `junit\tvitest\t0\t${join(JUNIT, 'vitest-no-files.xml')}\t3\n`);
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'test-summary.mjs'), parts], { encoding: 'utf8' });
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Tests: 0 passed, 0 failed');
    expect(run.status).toBe(0);
  });
});
