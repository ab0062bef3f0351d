/**
 * `dagwright deploy`: with --bucket alone, publish DAGs (and requirements, plugins) to a bucket;
 * with --environment, a planned, confirmed, recorded deploy to an MWAA environment.
 */
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { artifact, buildPluginsZip, dagArtifacts, type Artifact } from './artifacts.js';
import { applyPlan, type ApplyResult, type DeployClients } from './apply.js';
import { isVersioned } from './bucket.js';
import { readEnvironment, refuseBusy, type MwaaEnvironment, type WaitOptions } from './environment.js';
import { extraKey, formatPlan, planDeploy, planIsEmpty, refuseOtherAirflow, type DeployPlan, type ExtraKind, type PlanInput } from './plan.js';
import { DeployError, publish, type Published } from './publish.js';
import { latestRecord } from './record.js';
import { generatedHeader } from './header.js';
import type { RestApiTarget } from './rest-api.js';
import { triggerRun, verifyDeployed } from './verify.js';
import { basename } from 'node:path';

export interface DeployOptions {
  readonly dagsDir: string;
  readonly bucket: string;
  readonly dagsPrefix?: string;
  readonly requirementsFile?: string;
  /** The folder of the dagwright_airflow package, zipped into plugins.zip (buildPluginsZip). */
  readonly pluginsPackageDir?: string;
  readonly s3: S3Client;
}

export interface DeployReport {
  readonly dags: readonly Published[];
  readonly requirements: Published | undefined;
  readonly plugins: Published | undefined;
}

export async function deploy(options: DeployOptions): Promise<DeployReport> {
  const dagsPrefix = (options.dagsPrefix ?? 'dags').replace(/\/$/, '');
  const dags = dagArtifacts(options.dagsDir, dagsPrefix);
  const extras: Artifact[] = [];
  if (options.requirementsFile) extras.push(artifact('requirements.txt', readFileSync(options.requirementsFile)));
  if (options.pluginsPackageDir) extras.push(artifact('plugins.zip', await buildPluginsZip({ packageDir: options.pluginsPackageDir })));
  // Requirements and plugins first: DAGs that import new operators must not land before them.
  const publishedExtras = await publish(options.s3, options.bucket, extras);
  const publishedDags = await publish(options.s3, options.bucket, dags);
  const requirements = publishedExtras.find((p) => p.key === 'requirements.txt');
  const plugins = publishedExtras.find((p) => p.key === 'plugins.zip');
  return { dags: publishedDags, requirements, plugins };
}

export interface EnvironmentDeployOptions {
  readonly dagsDir: string;
  readonly environment: string;
  readonly clients: DeployClients;
  readonly requirementsFile?: string | undefined;
  readonly startupScriptFile?: string | undefined;
  /** When given (--bucket with --environment), the environment must read this bucket. */
  readonly expectBucket?: string | undefined;
  /** The folder of the dagwright_airflow package, zipped into plugins.zip; default: the one shipped with the CLI. */
  readonly pluginsPackageDir?: string | undefined;
  /** Only compute and print the plan. */
  readonly planOnly: boolean;
  /** Asked before a real deploy changes anything; true to go ahead. */
  readonly confirm: (plan: DeployPlan) => Promise<boolean>;
  /** Runs before anything is uploaded (freshness, imports); throws a DeployError to stop. */
  readonly check?: (env: MwaaEnvironment, artifacts: { dags: readonly Artifact[]; extras: PlanInput['extras'] }) => Promise<void>;
  readonly wait: boolean;
  readonly waitOptions?: WaitOptions;
  readonly log: (line: string) => void;
  /** After the DAG files are up: import errors and known DAGs through InvokeRestApi, then an optional trigger. */
  readonly verify?: DeployVerifyOptions | undefined;
}

export interface DeployVerifyOptions {
  readonly target: RestApiTarget;
  readonly settleMs?: number;
  readonly pollMs?: number;
  /** A DAG id to trigger once verification is clean. */
  readonly trigger?: string | undefined;
}

export type EnvironmentDeployResult =
  | { readonly kind: 'planned'; readonly plan: DeployPlan }
  | { readonly kind: 'nothing-to-do'; readonly plan: DeployPlan }
  | { readonly kind: 'applied'; readonly plan: DeployPlan; readonly applied: ApplyResult; readonly env: MwaaEnvironment };

/** `dagwright deploy --environment`: read the environment, refuse what is unsafe, plan, confirm, apply, record. */
export async function deployToEnvironment(options: EnvironmentDeployOptions): Promise<EnvironmentDeployResult> {
  const { clients } = options;
  const env = await readEnvironment(clients.mwaa, options.environment);
  refuseBusy(env);
  if (options.expectBucket !== undefined && options.expectBucket !== env.bucket) {
    throw new DeployError('deploy.bucket-mismatch', `environment ${env.name} reads bucket ${env.bucket}, not ${options.expectBucket}`);
  }
  if (!(await isVersioned(clients.s3, env.bucket))) {
    throw new DeployError('deploy.not-versioned', `bucket ${env.bucket} of environment ${env.name} has no versioning: MWAA requires a versioned bucket (aws s3api put-bucket-versioning)`);
  }
  const dags = dagArtifacts(options.dagsDir, env.dagsPrefix);
  refuseOtherAirflow(env, dags);
  const extras: Array<{ kind: ExtraKind; artifact: Artifact }> = [
    { kind: 'plugins', artifact: artifact(extraKey(env, 'plugins'), await buildPluginsZip(options.pluginsPackageDir ? { packageDir: options.pluginsPackageDir } : {})) },
  ];
  if (options.requirementsFile) extras.push({ kind: 'requirements', artifact: artifact(extraKey(env, 'requirements'), readFileSync(options.requirementsFile)) });
  if (options.startupScriptFile) extras.push({ kind: 'startupScript', artifact: artifact(extraKey(env, 'startupScript'), readFileSync(options.startupScriptFile)) });
  if (options.check) await options.check(env, { dags, extras });
  const plan = await planDeploy(clients.s3, { env, dagsDir: options.dagsDir, dags, extras });
  for (const line of formatPlan(plan)) options.log(line);
  if (options.planOnly) return { kind: 'planned', plan };
  if (planIsEmpty(plan)) {
    options.log('nothing to deploy: the environment already runs these files');
    return { kind: 'nothing-to-do', plan };
  }
  if (!(await options.confirm(plan))) throw new DeployError('deploy.not-confirmed', 'deploy not confirmed: nothing was changed');
  // What the environment parsed before this moment is not what this deploy uploads.
  const uploadedAt = new Date();
  const applied = await applyPlan(clients, env, plan, { wait: options.wait, ...(options.waitOptions ? { waitOptions: options.waitOptions } : {}), log: options.log });
  options.log(`deploy recorded at s3://${env.bucket}/${applied.recordKey}`);
  if (options.verify && applied.record.outcome === 'done') await verifyAfterDeploy(env, plan, options.verify, uploadedAt, options.log);
  return { kind: 'applied', plan, applied, env: await readEnvironment(clients.mwaa, env.name) };
}

/** `dagwright deploy --status`: where the environment and its last deploy stand. */
export async function deployStatus(clients: DeployClients, environment: string): Promise<string[]> {
  const env = await readEnvironment(clients.mwaa, environment);
  const lines = [`environment ${env.name}: ${env.status}, Airflow ${env.airflowVersion}, bucket ${env.bucket}`];
  if (env.lastUpdate) lines.push(`last update: ${env.lastUpdate.status ?? 'unknown'}${env.lastUpdate.error ? ` (${env.lastUpdate.error})` : ''}`);
  for (const kind of ['plugins', 'requirements', 'startupScript'] as const) {
    const ref = env[kind];
    lines.push(`${kind}: ${ref ? `${ref.key} version ${ref.version ?? 'latest'}` : 'not set'}`);
  }
  const latest = await latestRecord(clients.s3, env.bucket, environment);
  lines.push(latest ? `last record: ${latest.key} (${latest.record.kind}, ${latest.record.outcome}, by ${latest.record.who})` : 'no deploy record yet');
  return lines;
}

/**
 * Import errors in the uploaded DAG files, and each uploaded generated DAG (its dag_id is its
 * file name) known to the environment; a DeployError when either fails. Then the trigger.
 */
async function verifyAfterDeploy(env: MwaaEnvironment, plan: DeployPlan, verify: DeployVerifyOptions, uploadedAt: Date, log: (line: string) => void): Promise<void> {
  const uploaded = [...plan.add, ...plan.change];
  const files = uploaded.map((dag) => dag.key.slice(env.dagsPrefix.length + 1));
  const dagIds = uploaded
    .filter((dag) => generatedHeader(dag.body.subarray(0, 2048).toString('utf8')))
    .map((dag) => basename(dag.key, '.py'));
  const result = await verifyDeployed(verify.target, {
    files,
    dagIds,
    uploadedAt,
    ...(verify.settleMs !== undefined ? { settleMs: verify.settleMs } : {}),
    ...(verify.pollMs !== undefined ? { pollMs: verify.pollMs } : {}),
  });
  if (result.importErrors.length > 0) {
    const lines = result.importErrors.map((problem) => `${env.dagsPrefix}/${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.message}`);
    throw new DeployError('deploy.import-errors', `the environment reports import errors in deployed files:\n${lines.join('\n')}`);
  }
  if (result.unknownDags.length > 0) {
    throw new DeployError('deploy.dags-unknown', `the environment does not know these deployed DAGs (yet): ${result.unknownDags.join(', ')}`);
  }
  if (result.notReparsed.length > 0) {
    log(`warning: the environment has not parsed these DAGs since the upload, so what was checked may be their previous version: ${result.notReparsed.join(', ')} (ask again later: their import errors show in the Airflow UI)`);
  }
  log(`verified: no import errors in ${files.length} deployed file${files.length === 1 ? '' : 's'}; ${dagIds.length} DAG${dagIds.length === 1 ? '' : 's'} known to the environment`);
  if (verify.trigger) log(`triggered ${verify.trigger}: run ${await triggerRun(verify.target, env.airflowVersion, verify.trigger)}`);
}
