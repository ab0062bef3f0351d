/**
 * The plan of a deploy to an MWAA environment: which DAG files to add, change and delete
 * (by content hash against the bucket), whether plugins.zip, requirements.txt or the startup
 * script change, and so whether the environment must be updated. Computing it changes nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Artifact } from './artifacts.js';
import { headObject, holdsContent, latestObjects, readObjectStart, type BucketObject } from './bucket.js';
import { TYPICAL_UPDATE_DURATION, type MwaaEnvironment, type ObjectRef } from './environment.js';
import { airflowMinor, generatedHeader } from './header.js';
import { DeployError } from './publish.js';

export type ExtraKind = 'plugins' | 'requirements' | 'startupScript';

export interface ExtraChange {
  readonly kind: ExtraKind;
  readonly artifact: Artifact;
  /** What the environment reads now, if anything. */
  readonly current: ObjectRef | undefined;
  readonly changes: boolean;
}

export interface DeployPlan {
  readonly environment: string;
  readonly bucket: string;
  readonly add: readonly Artifact[];
  readonly change: readonly Artifact[];
  readonly unchanged: readonly string[];
  /** Keys of DAG files dagwright generated whose spec is gone. */
  readonly delete: readonly string[];
  /** Keys of DAG files in the bucket without dagwright's header: never touched. */
  readonly handWritten: readonly string[];
  /** Keys of generated DAG files in the bucket that are not in the DAG folder but whose spec still exists: left alone. */
  readonly kept: readonly string[];
  readonly extras: readonly ExtraChange[];
  readonly updatesEnvironment: boolean;
  /** The latest version of every DAG object before the deploy. */
  readonly dagsBefore: ReadonlyMap<string, BucketObject>;
}

export interface PlanInput {
  readonly env: MwaaEnvironment;
  readonly dagsDir: string;
  readonly dags: readonly Artifact[];
  /** plugins.zip, requirements.txt, startup script to publish: each under the key the environment reads, or its default. */
  readonly extras: ReadonlyArray<{ readonly kind: ExtraKind; readonly artifact: Artifact }>;
}

/** The key an environment reads an extra from, or the key deploy gives it when the environment has none yet. */
export function extraKey(env: MwaaEnvironment, kind: ExtraKind): string {
  const defaults: Record<ExtraKind, string> = { plugins: 'plugins.zip', requirements: 'requirements.txt', startupScript: 'startup.sh' };
  return env[kind]?.key ?? defaults[kind];
}

/** Refuses DAG files generated for another Airflow version than the environment runs. */
export function refuseOtherAirflow(env: MwaaEnvironment, dags: readonly Artifact[]): void {
  const runs = airflowMinor(env.airflowVersion);
  const wrong = dags
    .map((dag) => ({ key: dag.key, header: generatedHeader(dag.body.subarray(0, 2048).toString('utf8')) }))
    .filter((dag) => dag.header && dag.header.target !== runs);
  if (wrong.length > 0) {
    const list = wrong.map((dag) => `${dag.key} (Airflow ${dag.header?.target})`).join(', ');
    throw new DeployError(
      'deploy.airflow-mismatch',
      `MWAA environment ${env.name} runs Airflow ${env.airflowVersion}, but these DAGs were generated for another version: ${list}. Run: dagwright generate <specs> --airflow ${runs}`,
    );
  }
}

export async function planDeploy(s3: S3Client, input: PlanInput): Promise<DeployPlan> {
  const { env } = input;
  const inBucket = await latestObjects(s3, env.bucket, env.dagsPrefix);
  const add: Artifact[] = [];
  const change: Artifact[] = [];
  const unchanged: string[] = [];
  for (const dag of input.dags) {
    const current = inBucket.get(dag.key);
    if (!current) add.push(dag);
    else if (!(await holdsContent(s3, env.bucket, current, dag.md5Hex))) change.push(dag);
    else unchanged.push(dag.key);
  }
  const local = new Set(input.dags.map((dag) => dag.key));
  const remove: string[] = [];
  const handWritten: string[] = [];
  const kept: string[] = [];
  for (const key of [...inBucket.keys()].sort()) {
    if (local.has(key) || !key.endsWith('.py')) continue;
    const header = generatedHeader(await readObjectStart(s3, env.bucket, key));
    if (!header) handWritten.push(key);
    else if (existsSync(resolve(input.dagsDir, header.spec))) kept.push(key);
    else remove.push(key);
  }
  const extras: ExtraChange[] = [];
  for (const { kind, artifact } of input.extras) {
    const current = env[kind];
    const object = current && current.key === artifact.key ? await headObject(s3, env.bucket, current.key, current.version) : undefined;
    extras.push({ kind, artifact, current, changes: object === undefined || !(await holdsContent(s3, env.bucket, object, artifact.md5Hex)) });
  }
  return {
    environment: env.name,
    bucket: env.bucket,
    add,
    change,
    unchanged,
    delete: remove,
    handWritten,
    kept,
    extras,
    updatesEnvironment: extras.some((extra) => extra.changes),
    dagsBefore: inBucket,
  };
}

/** How each extra is called in what deploy prints. */
export const EXTRA_NAMES: Record<ExtraKind, string> = { plugins: 'plugins', requirements: 'requirements', startupScript: 'startup script' };

/** The plan as the lines `dagwright deploy` prints. */
export function formatPlan(plan: DeployPlan): string[] {
  const lines = [`Plan for MWAA environment ${plan.environment} (bucket ${plan.bucket}):`];
  const list = (label: string, keys: readonly string[]) => {
    lines.push(`  ${label}: ${keys.length}`);
    for (const key of keys) lines.push(`    ${key}`);
  };
  list('DAG files to add', plan.add.map((a) => a.key));
  list('DAG files to change', plan.change.map((a) => a.key));
  list('DAG files to delete (generated by dagwright, spec gone)', plan.delete);
  lines.push(`  DAG files unchanged: ${plan.unchanged.length}`);
  if (plan.handWritten.length > 0) lines.push(`  hand-written DAG files left alone: ${plan.handWritten.join(', ')}`);
  if (plan.kept.length > 0) lines.push(`  generated DAG files not in the DAG folder, spec still present, left alone: ${plan.kept.join(', ')}`);
  for (const extra of plan.extras) {
    const now = extra.current ? `now ${extra.current.key}${extra.current.version ? ` version ${extra.current.version}` : ''}` : 'not set yet';
    lines.push(`  ${EXTRA_NAMES[extra.kind]}: ${extra.changes ? 'changes' : 'unchanged'} (${extra.artifact.key}, ${now})`);
  }
  lines.push(
    plan.updatesEnvironment
      ? `  environment update: yes (typically ${TYPICAL_UPDATE_DURATION}); the DAG files go up after it succeeds`
      : '  environment update: no',
  );
  return lines;
}

export function planIsEmpty(plan: DeployPlan): boolean {
  return plan.add.length === 0 && plan.change.length === 0 && plan.delete.length === 0 && !plan.updatesEnvironment;
}
