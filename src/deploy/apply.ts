/**
 * Carries out a deploy plan in a safe order, then records it (rollback.ts undoes one).
 *
 * Order: when plugins, requirements or the startup script change, they go up first, the
 * environment is updated to their NEW object versions, and deploy waits for AVAILABLE with a
 * last update of SUCCESS; only then do the DAG files go up (they may import the new
 * operators). When only DAG files change, they go up with no environment update.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { UpdateEnvironmentCommand, type MWAAClient, type UpdateEnvironmentCommandInput } from '@aws-sdk/client-mwaa';
import type { STSClient } from '@aws-sdk/client-sts';
import { waitForUpdate, type MwaaEnvironment, type ObjectRef, type WaitOptions } from './environment.js';
import type { DeployPlan, ExtraKind } from './plan.js';
import { DeployError, publish } from './publish.js';
import { callerArn, writeRecord, type DeployRecord, type DeployedState } from './record.js';

export interface DeployClients {
  readonly s3: S3Client;
  readonly mwaa: MWAAClient;
  readonly sts: STSClient;
  /** For the restore command printed after a failed update. */
  readonly region?: string | undefined;
}

export interface ApplyOptions {
  readonly wait: boolean;
  readonly waitOptions?: WaitOptions;
  readonly log: (line: string) => void;
}

export interface ApplyResult {
  readonly record: DeployRecord;
  readonly recordKey: string;
}

const UPDATE_FIELDS: Record<ExtraKind, { path: 'PluginsS3Path' | 'RequirementsS3Path' | 'StartupScriptS3Path'; version: 'PluginsS3ObjectVersion' | 'RequirementsS3ObjectVersion' | 'StartupScriptS3ObjectVersion'; flag: string }> = {
  plugins: { path: 'PluginsS3Path', version: 'PluginsS3ObjectVersion', flag: 'plugins' },
  requirements: { path: 'RequirementsS3Path', version: 'RequirementsS3ObjectVersion', flag: 'requirements' },
  startupScript: { path: 'StartupScriptS3Path', version: 'StartupScriptS3ObjectVersion', flag: 'startup-script' },
};

function updateInput(name: string, refs: Partial<Record<ExtraKind, ObjectRef>>): UpdateEnvironmentCommandInput {
  const input: UpdateEnvironmentCommandInput = { Name: name };
  for (const [kind, ref] of Object.entries(refs) as Array<[ExtraKind, ObjectRef]>) {
    input[UPDATE_FIELDS[kind].path] = ref.key;
    if (ref.version) input[UPDATE_FIELDS[kind].version] = ref.version;
  }
  return input;
}

/** The AWS CLI command that points the environment back at `refs` (the versions before a deploy). */
export function restoreCommand(name: string, refs: Partial<Record<ExtraKind, ObjectRef>>, region: string | undefined): string {
  const parts = ['aws mwaa update-environment', `--name ${name}`, ...(region ? [`--region ${region}`] : [])];
  for (const [kind, ref] of Object.entries(refs) as Array<[ExtraKind, ObjectRef]>) {
    const { flag } = UPDATE_FIELDS[kind];
    parts.push(`--${flag}-s3-path ${ref.key}`);
    if (ref.version) parts.push(`--${flag}-s3-object-version ${ref.version}`);
  }
  return parts.join(' ');
}

export function extrasOf(env: MwaaEnvironment): Partial<Record<ExtraKind, ObjectRef>> {
  const refs: Partial<Record<ExtraKind, ObjectRef>> = {};
  for (const kind of ['plugins', 'requirements', 'startupScript'] as const) {
    const ref = env[kind];
    if (ref) refs[kind] = ref;
  }
  return refs;
}

/** What a deploy whose environment update failed tells the user to do. */
function deployRecovery(clients: DeployClients, env: MwaaEnvironment): string {
  const previous = extrasOf(env);
  const restore = Object.keys(previous).length > 0 ? restoreCommand(env.name, previous, clients.region) : undefined;
  return `${restore ? `\nTo restore the previous versions: ${restore}` : ''}\n(dagwright deploy --environment ${env.name} --rollback restores the previous record)`;
}

/**
 * Points the environment at `refs`, then (with wait) waits for the update to succeed. A
 * failed update is a DeployError whose message ends with `recovery` (what to do now).
 */
export async function updateTo(
  clients: DeployClients,
  env: MwaaEnvironment,
  refs: Partial<Record<ExtraKind, ObjectRef>>,
  options: ApplyOptions,
  recovery: string = deployRecovery(clients, env),
): Promise<'done' | 'update-started'> {
  await clients.mwaa.send(new UpdateEnvironmentCommand(updateInput(env.name, refs)));
  options.log(`environment ${env.name}: update started`);
  if (!options.wait) return 'update-started';
  try {
    await waitForUpdate(clients.mwaa, env.name, { ...options.waitOptions, progress: options.log, expect: refs });
  } catch (error) {
    if (error instanceof DeployError) throw new DeployError(error.code, `${error.message}${recovery}`);
    throw error;
  }
  return 'done';
}

export async function applyPlan(clients: DeployClients, env: MwaaEnvironment, plan: DeployPlan, options: ApplyOptions): Promise<ApplyResult> {
  const who = await callerArn(clients.sts);
  const beforeExtras = extrasOf(env);
  const afterExtras: Partial<Record<ExtraKind, ObjectRef>> = { ...beforeExtras };
  let outcome: DeployRecord['outcome'] = 'done';
  const changedExtras = plan.extras.filter((extra) => extra.changes);
  if (changedExtras.length > 0) {
    const published = await publish(clients.s3, env.bucket, changedExtras.map((extra) => extra.artifact));
    const refs: Partial<Record<ExtraKind, ObjectRef>> = {};
    for (const [index, extra] of changedExtras.entries()) {
      const version = published[index]?.versionId;
      if (!version) throw new DeployError('deploy.not-versioned', `bucket ${env.bucket} returned no version for ${extra.artifact.key}: MWAA needs a versioned bucket`);
      refs[extra.kind] = { key: extra.artifact.key, version };
      options.log(`s3://${env.bucket}/${extra.artifact.key} uploaded, version ${version}`);
    }
    Object.assign(afterExtras, refs);
    try {
      outcome = await updateTo(clients, env, refs, options);
    } catch (error) {
      await record(clients, plan, env, who, 'update-failed', { dags: {}, extras: beforeExtras }, { dags: {}, extras: beforeExtras });
      throw error;
    }
  }
  const beforeDags: Record<string, string | null> = {};
  const afterDags: Record<string, string | null> = {};
  if (outcome === 'done') {
    const uploads = [...plan.add, ...plan.change];
    const published = await publish(clients.s3, env.bucket, uploads);
    for (const [index, dag] of uploads.entries()) {
      beforeDags[dag.key] = plan.dagsBefore.get(dag.key)?.versionId ?? null;
      afterDags[dag.key] = published[index]?.versionId ?? null;
      options.log(`s3://${env.bucket}/${dag.key} uploaded`);
    }
    for (const key of plan.delete) {
      await clients.s3.send(new DeleteObjectCommand({ Bucket: env.bucket, Key: key }));
      beforeDags[key] = plan.dagsBefore.get(key)?.versionId ?? null;
      afterDags[key] = null;
      options.log(`s3://${env.bucket}/${key} deleted (its spec is gone)`);
    }
  } else {
    options.log(`--no-wait: the DAG files go up once the update has succeeded: run this deploy again then (dagwright deploy --environment ${env.name} --status shows where it stands)`);
  }
  return record(clients, plan, env, who, outcome, { dags: beforeDags, extras: beforeExtras }, { dags: afterDags, extras: afterExtras });
}

async function record(
  clients: DeployClients,
  plan: DeployPlan,
  env: MwaaEnvironment,
  who: string,
  outcome: DeployRecord['outcome'],
  before: DeployedState,
  after: DeployedState,
): Promise<ApplyResult> {
  const entry: DeployRecord = {
    kind: 'deploy',
    at: new Date().toISOString(),
    who,
    environment: env.name,
    bucket: env.bucket,
    outcome,
    plan: {
      add: plan.add.map((a) => a.key),
      change: plan.change.map((a) => a.key),
      delete: [...plan.delete],
      extras: plan.extras.map((extra) => ({ kind: extra.kind, key: extra.artifact.key, changes: extra.changes })),
      updatesEnvironment: plan.updatesEnvironment,
    },
    before,
    after,
  };
  return { record: entry, recordKey: await writeRecord(clients.s3, entry) };
}
