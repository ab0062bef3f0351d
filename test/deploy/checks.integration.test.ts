/** The checks deploy runs before anything is uploaded (src/deploy/checks.ts). */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPluginsZip, dagArtifacts } from '../../src/deploy/artifacts.js';
import { importProblems, operatorRequirements, requirementsProblems, staleDags } from '../../src/deploy/checks.js';
import { REPO_ROOT } from '../helpers/paths.js';

const examples = join(REPO_ROOT, 'examples');

/** A copy of examples/orders_daily_rollup.yaml and its 3.0 DAG, laid out as the goldens are. */
function ordersProject(): { dags: string } {
  const root = mkdtempSync(join(tmpdir(), 'dagwright-checks-'));
  const dags = join(root, 'dags', 'airflow-3.0');
  mkdirSync(dags, { recursive: true });
  copyFileSync(join(examples, 'orders_daily_rollup.yaml'), join(root, 'orders_daily_rollup.yaml'));
  copyFileSync(join(examples, 'dags', 'airflow-3.0', 'orders_daily_rollup.py'), join(dags, 'orders_daily_rollup.py'));
  return { dags };
}

describe('deploy checks', () => {
  it('finds a generated DAG file stale against its spec, and a fresh one fresh', async () => {
    const { dags } = ordersProject();
    expect(await staleDags(dags, dagArtifacts(dags, 'dags'), '3.0')).toEqual([]);
    const file = join(dags, 'orders_daily_rollup.py');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# edited by hand\n`);
    expect(await staleDags(dags, dagArtifacts(dags, 'dags'), '3.0')).toEqual(['dags/orders_daily_rollup.py: stale against ../../orders_daily_rollup.yaml: run dagwright generate again']);
  });

  it('refuses a DAG whose spec validate now refuses, though the file matches what it generated (a ruleset the evaluator refuses)', async () => {
    const { dags } = ordersProject();
    const spec = join(dags, '..', '..', 'orders_daily_rollup.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('RowCount > 0,', 'RowCount > 0, CustomSql "select 1 from primary; drop table x" > 0,'));
    expect(await staleDags(dags, dagArtifacts(dags, 'dags'), '3.0')).toEqual(['dags/orders_daily_rollup.py: its spec ../../orders_daily_rollup.yaml is invalid (dagwright validate ../../orders_daily_rollup.yaml)']);
  });

  it("requires a --constraint line for the environment's Airflow and Python, and the operators' requirements", () => {
    expect(operatorRequirements()).toEqual(['requests', 'asgiref']);
    const good = '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-3.0.6/constraints-3.12.txt"\nrequests>=2.31\nasgiref>=3.7\n';
    expect(requirementsProblems(good.replace(/"/g, ''), '3.0.6')).toEqual([]);
    expect(requirementsProblems('requests\nasgiref\n', '3.0.6')[0]).toMatch(/^requirements.txt has no --constraint line/);
    expect(requirementsProblems(good.replace(/"/g, '').replace('3.0.6', '2.10.3'), '3.0.6')[0]).toMatch(/not Airflow 3.0.6 on Python 3.12/);
    expect(requirementsProblems('-c https://x/constraints-3.0.6/constraints-3.12.txt\nrequests\n', '3.0.6')).toEqual(['requirements.txt does not list asgiref, which the dagwright operators need']);
  });

  it('imports the DAGs in the local venv of the Airflow version, the operators from plugins.zip', async () => {
    const { dags } = ordersProject();
    writeFileSync(join(dags, 'broken.py'), 'from airflow.sdk import DAG\n\nraise RuntimeError("broken on purpose")\n');
    const problems = importProblems({ dagsDir: dags, airflowVersion: '3.0.6', pluginsZip: await buildPluginsZip() });
    expect(problems).toEqual([`${join(dags, 'broken.py')}: RuntimeError: broken on purpose`]);
  }, 300_000);
});
