import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import { AIRFLOW_TEST_TARGETS, requiredInCi } from '../helpers/paths.js';

// The fan-out of issue 10.11, with a bookmark chain mapped the same way and one over an upstream's output.
const spec = {
  apiVersion: 'dagwright/v1',
  kind: 'Pipeline',
  name: 'sales_fanout',
  schedule: '@daily',
  start_date: '2026-01-01',
  tasks: {
    load_region: { type: 'load', for_each: ['us', 'eu', 'apac'], source: 's3://sales/{{ item }}/dt={{ ds }}/', warehouse: 'main', table: 'sales', mode: 'append' },
    regions: { type: 'python', callable: 'tasks.regions:list_regions' },
    pick: { type: 'bookmark', after: ['regions'], for_each: { from: 'regions', max_parallel: 2 }, source: 's3://raw/{{ item }}/' },
    check: { type: 'dq_check', after: ['pick'], for_each: { from: 'regions' }, ruleset: 'Rules = [ RowCount > 0 ]', on_violation: 'quarantine' },
    load: { type: 'load', after: ['check'], for_each: { from: 'regions' }, warehouse: 'main', table: 'orders', mode: 'append' },
  },
};

function generated(version: string): string {
  const result = compileSpec('sales.yaml', stringify(spec), { airflowVersion: version });
  expect(result.diagnostics).toEqual([]);
  return generateDag(result.model as NonNullable<typeof result.model>, 'sales.yaml');
}

describe('mapped service tasks in the generated DAG', () => {
  it.each(AIRFLOW_TEST_TARGETS)('expand item, on Airflow %s', (version) => {
    const text = generated(version);
    expect(text).toContain(`load_region = LoadOperator.partial(
        task_id="load_region",
        warehouse="main",
        table="sales",
        mode="append",
        source="s3://sales/{{ item }}/dt={{ ds }}/",
        outlets=[${version.startsWith('2.') ? 'Dataset' : 'Asset'}("dagwright://main/sales")],
    ).expand(
        item=["us", "eu", "apac"],
    )`);
    expect(text).toContain(`pick = BookmarkBeginOperator.partial(
        task_id="pick",
        bookmark="sales_fanout.pick.{{ item }}",
        source="s3://raw/{{ item }}/",
        partitioning="none",
        max_active_tis_per_dagrun=2,
    ).expand(
        item=regions.output,
    )`);
    expect(text).toMatch(/check = DataQualityOperator\.partial\([^)]*input_task_id="pick",\n\s+input_mapped=True,[^)]*\)\.expand\(\n\s+item=regions\.output,\n\s+\)/);
    // (the load's default outlets hold a call: its closing parenthesis is not the partial's)
    expect(text).toMatch(/load = LoadOperator\.partial\([^)]*input_task_id="check",\n\s+input_mapped=True,[\s\S]*?\n\s+\)\.expand\(\n\s+item=regions\.output,\n\s+\)/);
    expect(text).toMatch(/pick_commit = BookmarkCommitOperator\.partial\(\n\s+task_id="pick_commit",\n\s+bookmark="sales_fanout\.pick\.\{\{ item \}\}",[\s\S]*?\n\s+\)\.expand\(\n\s+item=regions\.output,\n\s+\)/);
  });

  const ruff = requiredInCi('DAGWRIGHT_RUFF');
  it.skipIf(!ruff)('passes ruff check and ruff format --check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-foreach-'));
    writeFileSync(join(dir, 'sales_fanout.py'), generated('3.0'));
    const options = { cwd: dir, encoding: 'utf8' as const, stdio: 'pipe' as const };
    execFileSync(ruff as string, ['check', '--no-cache', '--isolated', '.'], options);
    execFileSync(ruff as string, ['format', '--check', '--no-cache', '--isolated', '.'], options);
  });
});
