/**
 * What deploy checks before anything is uploaded (`--skip-checks` skips it all, loudly):
 * - every generated DAG file is fresh against its spec (as `dagwright generate --check`);
 * - requirements.txt has a --constraint line for the environment's Airflow and Python, and
 *   lists the dagwright operators' own requirements;
 * - every DAG file imports with zero errors in the local venv of the environment's Airflow
 *   version, with the operators from the same plugins.zip unzipped into a plugins folder (as
 *   MWAA does; see src/local/install-operators.ts and test/airflow/test_plugins_zip.py).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { writeDagFiles } from '../cli/commands/generate.js';
import { checkSpec } from '../compile/compile-spec.js';
import { operatorsPackageDir, type Artifact } from './artifacts.js';
import type { MwaaEnvironment } from './environment.js';
import { generatedHeader } from './header.js';
import type { PlanInput } from './plan.js';
import { DeployError } from './publish.js';

/** The Python of MWAA's image per Airflow version (shared/mwaa/README.md, from aws/amazon-mwaa-docker-images). */
export const MWAA_PYTHON: Readonly<Record<string, string>> = { '2.10.3': '3.11', '2.11.0': '3.12', '3.0.6': '3.12' };

/** Generated DAG files (relative keys) whose spec no longer validates, or generates another file now. */
export async function staleDags(dagsDir: string, dags: readonly Artifact[], airflowMinorVersion: string): Promise<string[]> {
  const problems: string[] = [];
  for (const dag of dags) {
    const header = generatedHeader(dag.body.subarray(0, 2048).toString('utf8'));
    if (!header) continue;
    const specFile = resolve(dagsDir, header.spec);
    if (!existsSync(specFile)) {
      problems.push(`${dag.key}: its spec ${header.spec} is gone (delete the DAG file, or restore the spec)`);
      continue;
    }
    // Checked as validate checks it: a spec that validate refuses is never deployed.
    const compiled = await checkSpec(specFile, readFileSync(specFile, 'utf8'), { airflowVersion: airflowMinorVersion });
    if (!compiled.model) {
      problems.push(`${dag.key}: its spec ${header.spec} is invalid (dagwright validate ${header.spec})`);
      continue;
    }
    const folder = dirname(resolve(dagsDir, dag.key.split('/').slice(1).join('/')));
    const { stale } = writeDagFiles([compiled], { output: folder, check: true });
    if (stale.length > 0 || basename(dag.key) !== `${compiled.model.dagId}.py`) problems.push(`${dag.key}: stale against ${header.spec}: run dagwright generate again`);
  }
  return problems;
}

/** The names of dagwright-airflow's own requirements (python/pyproject.toml), apache-airflow aside. */
export function operatorRequirements(pyproject = readFileSync(join(dirname(operatorsPackageDir()), 'pyproject.toml'), 'utf8')): string[] {
  const block = /^dependencies = \[([\s\S]*?)^\]/m.exec(pyproject)?.[1] ?? '';
  return [...block.matchAll(/^\s*"([A-Za-z0-9_.-]+)/gm)].map((m) => (m[1] ?? '').toLowerCase()).filter((name) => name !== 'apache-airflow');
}

export function requirementsProblems(text: string, airflowVersion: string, needed: readonly string[] = operatorRequirements()): string[] {
  const lines = text.split('\n').map((line) => line.trim());
  const constraint = lines.map((line) => /^(?:-c|--constraint)[ =](\S+)/.exec(line)?.[1]).find((url) => url !== undefined);
  const problems: string[] = [];
  const python = MWAA_PYTHON[airflowVersion];
  const want = python ? `constraints-${airflowVersion}/constraints-${python}.txt` : `constraints-${airflowVersion}/constraints-3.`;
  if (!constraint) problems.push(`requirements.txt has no --constraint line (without one MWAA forces its own): add --constraint "https://raw.githubusercontent.com/apache/airflow/${want}${python ? '' : '<python>.txt'}"`);
  else if (!constraint.includes(want)) problems.push(`requirements.txt constrains with ${constraint}, not Airflow ${airflowVersion}${python ? ` on Python ${python}` : ''} (${want})`);
  const names = new Set(lines.map((line) => /^([A-Za-z0-9_.-]+)/.exec(line)?.[1]?.toLowerCase().replace(/_/g, '-')).filter((n): n is string => n !== undefined));
  for (const name of needed) if (!names.has(name)) problems.push(`requirements.txt does not list ${name}, which the dagwright operators need`);
  return problems;
}

const IMPORT_CHECK = `
import json, sys
import airflow  # settings.initialize() puts the plugins folder on sys.path, as on MWAA
from airflow import plugins_manager
plugins_manager.ensure_plugins_loaded()
from airflow.models.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1], include_examples=False)
print("DAGWRIGHT_IMPORTS " + json.dumps({"errors": dict(bag.import_errors), "plugins": dict(plugins_manager.import_errors)}))
`;

/**
 * Imports the DAG files with a DagBag in the local venv for the environment's Airflow version
 * (scripts/venv.sh airflow-<version>), with plugins.zip unzipped into the plugins folder.
 * Returns the errors as "file: message" lines. requirements.txt is not installed into the
 * shared, locked venv: packages it adds beyond the lock are not part of this check.
 */
export function importProblems(options: { dagsDir: string; airflowVersion: string; pluginsZip: Buffer }): string[] {
  const repo = dirname(dirname(operatorsPackageDir()));
  const lock = join(repo, 'python', 'requirements', `airflow-${options.airflowVersion}.lock`);
  if (!existsSync(lock)) return [`no local venv lock for Airflow ${options.airflowVersion} (python/requirements/airflow-${options.airflowVersion}.lock): cannot check imports`];
  const venv = spawnSync('bash', [join(repo, 'scripts', 'venv.sh'), `airflow-${options.airflowVersion}`], { encoding: 'utf8' });
  if (venv.status !== 0) return [`scripts/venv.sh airflow-${options.airflowVersion} failed: ${venv.stderr.trim()}`];
  const work = mkdtempSync(join(tmpdir(), 'dagwright-import-check-'));
  try {
    const plugins = join(work, 'plugins');
    mkdirSync(plugins);
    writeFileSync(join(work, 'plugins.zip'), options.pluginsZip);
    const python = join(venv.stdout.trim(), 'bin', 'python');
    const unzip = spawnSync(python, ['-m', 'zipfile', '-e', join(work, 'plugins.zip'), plugins], { encoding: 'utf8' });
    if (unzip.status !== 0) return [`unzipping plugins.zip failed: ${unzip.stderr.trim()}`];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      AIRFLOW_HOME: join(work, 'home'),
      AIRFLOW__CORE__PLUGINS_FOLDER: plugins,
      AIRFLOW__CORE__DAGS_FOLDER: resolve(options.dagsDir),
      AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
      AIRFLOW__CORE__LAZY_LOAD_PLUGINS: 'False',
      AIRFLOW__CORE__UNIT_TEST_MODE: 'False',
    };
    const run = spawnSync(python, ['-c', IMPORT_CHECK, resolve(options.dagsDir)], { encoding: 'utf8', env, cwd: work, timeout: 300_000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('DAGWRIGHT_IMPORTS '));
    if (!line) return [`the import check did not finish (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-5).join(' | ')}`];
    const outcome = JSON.parse(line.slice('DAGWRIGHT_IMPORTS '.length)) as { errors: Record<string, string>; plugins: Record<string, string> };
    return [
      ...Object.entries(outcome.plugins).map(([file, error]) => `plugins: ${file}: ${error.trim().split('\n').at(-1)}`),
      ...Object.entries(outcome.errors).map(([file, error]) => `${file}: ${error.trim().split('\n').at(-1)}`),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** All the checks, or a DeployError naming every problem. */
export async function preDeployChecks(input: {
  readonly dagsDir: string;
  readonly airflowVersion: string;
  readonly dags: readonly Artifact[];
  readonly pluginsZip: Buffer;
  readonly requirements: Buffer | undefined;
}): Promise<string[]> {
  const minor = input.airflowVersion.split('.').slice(0, 2).join('.');
  return [
    ...(await staleDags(input.dagsDir, input.dags, minor)),
    ...(input.requirements ? requirementsProblems(input.requirements.toString('utf8'), input.airflowVersion) : []),
    ...importProblems({ dagsDir: input.dagsDir, airflowVersion: input.airflowVersion, pluginsZip: input.pluginsZip }),
  ];
}

/** The `check` step of deployToEnvironment: every check, a DeployError listing the problems. */
export function deployChecks(dagsDir: string, log: (line: string) => void) {
  return async (env: MwaaEnvironment, artifacts: { dags: readonly Artifact[]; extras: PlanInput['extras'] }): Promise<void> => {
    log(`checking: DAG files fresh against their specs; requirements.txt; imports in the local Airflow ${env.airflowVersion} venv with plugins.zip unzipped (may take a minute)`);
    const plugins = artifacts.extras.find((extra) => extra.kind === 'plugins')?.artifact.body;
    const requirements = artifacts.extras.find((extra) => extra.kind === 'requirements')?.artifact.body;
    const problems = await preDeployChecks({ dagsDir, airflowVersion: env.airflowVersion, dags: artifacts.dags, pluginsZip: plugins ?? Buffer.alloc(0), requirements });
    if (problems.length > 0) throw new DeployError('deploy.checks-failed', `checks failed, nothing was uploaded:\n${problems.map((p) => `  ${p}`).join('\n')}\n(--skip-checks deploys anyway)`);
    log('checks passed');
  };
}

/** What --skip-checks prints, on stderr, before the plan. */
export const SKIP_CHECKS_WARNING =
  'WARNING: --skip-checks: NOT checking that the DAG files are fresh against their specs, that requirements.txt has the right --constraint line and the operators\' requirements, nor that every DAG imports in the local Airflow venv with this plugins.zip';
