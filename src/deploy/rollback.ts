/**
 * `dagwright deploy --rollback`: the latest record that changed something, undone. Planned
 * first, like a deploy (`--plan` prints the plan; a real rollback prints it and asks), then
 * applied: DAG files first (each copied back from its earlier version, or deleted when it
 * did not exist), then the environment pointed back at the earlier plugins, requirements and
 * startup-script versions. A rollback leaves a record of its own.
 */
import { CopyObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { extrasOf, updateTo, type ApplyOptions, type ApplyResult, type DeployClients } from './apply.js';
import { headObject, latestObjects } from './bucket.js';
import { readEnvironment, refuseBusy, TYPICAL_UPDATE_DURATION, type MwaaEnvironment, type ObjectRef } from './environment.js';
import { EXTRA_NAMES, type ExtraKind } from './plan.js';
import { DeployError } from './publish.js';
import { callerArn, latestRecord, RECORD_PREFIX, writeRecord, type DeployRecord } from './record.js';

/** What rolling back does to one DAG file the undone deploy touched. */
export interface DagRestore {
  readonly key: string;
  /** Its version now; null when it does not exist. */
  readonly now: string | null;
  /** The version it goes back to; null: it is deleted (it did not exist before). */
  readonly to: string | null;
  /** Whether it already is as it was: absent, or the same bytes (ETag) as the version it goes back to. */
  readonly asItWas: boolean;
}

export interface RollbackPlan {
  readonly env: MwaaEnvironment;
  /** The record undone. */
  readonly undoes: { readonly key: string; readonly record: DeployRecord };
  /** Every DAG file the undone deploy touched, in key order. */
  readonly dags: readonly DagRestore[];
  /** The plugins, requirements and startup script that go back to an earlier version. */
  readonly restore: Partial<Record<ExtraKind, ObjectRef>>;
  /** What a rollback cannot undo, to say before it runs. */
  readonly notes: readonly string[];
}

const moves = (d: DagRestore) => !d.asItWas;
const versionText = (version: string | null | undefined) => (version ? `version ${version}` : 'no version');

/** Reads the environment and the latest record that changed something; changes nothing. */
export async function planRollback(clients: DeployClients, environment: string): Promise<RollbackPlan> {
  const env = await readEnvironment(clients.mwaa, environment);
  refuseBusy(env);
  const latest = await latestRecord(clients.s3, env.bucket, environment, { changedSomething: true });
  if (!latest) throw new DeployError('deploy.no-record', `no deploy record under s3://${env.bucket}/${RECORD_PREFIX}/${environment}/: nothing to roll back to`);
  const target = latest.record.before;
  const current = await latestObjects(clients.s3, env.bucket, env.dagsPrefix);
  const dags: DagRestore[] = [];
  for (const [key, to] of Object.entries(target.dags).sort(([a], [b]) => a.localeCompare(b))) {
    const now = current.get(key);
    if (to === null) {
      dags.push({ key, now: now?.versionId ?? null, to, asItWas: now === undefined });
      continue;
    }
    // The version it goes back to must still be there (a lifecycle rule may have expired it).
    const earlier = await headObject(clients.s3, env.bucket, key, to);
    if (earlier === undefined) {
      throw new DeployError('deploy.version-gone', `s3://${env.bucket}/${key} version ${to}, which the rollback would restore, no longer exists (a lifecycle rule on noncurrent versions?): nothing was changed`);
    }
    dags.push({ key, now: now?.versionId ?? null, to, asItWas: now !== undefined && (now.versionId === to || now.etag === earlier.etag) });
  }
  const restore: Partial<Record<ExtraKind, ObjectRef>> = {};
  for (const [kind, ref] of Object.entries(target.extras) as Array<[ExtraKind, ObjectRef]>) {
    const now = env[kind];
    if (!now || now.key !== ref.key || now.version !== ref.version) restore[kind] = ref;
  }
  const notes = (Object.keys(extrasOf(env)) as ExtraKind[])
    .filter((kind) => !target.extras[kind])
    .map((kind) => `the environment had no ${EXTRA_NAMES[kind]} before that deploy; MWAA keeps reading ${env[kind]?.key} (remove it in the MWAA console if needed)`);
  return { env, undoes: latest, dags, restore, notes };
}

/** The rollback plan as the lines `dagwright deploy --rollback` prints. */
export function formatRollbackPlan(plan: RollbackPlan): string[] {
  const { record } = plan.undoes;
  const lines = [
    `Rollback plan for MWAA environment ${plan.env.name} (bucket ${plan.env.bucket}):`,
    `  undoes ${plan.undoes.key} (${record.kind} by ${record.who} at ${record.at}, ${record.outcome})`,
  ];
  const list = (label: string, items: readonly string[]) => {
    lines.push(`  ${label}: ${items.length}`);
    for (const item of items) lines.push(`    ${item}`);
  };
  const moving = plan.dags.filter(moves);
  list('DAG files to restore', moving.filter((d) => d.to !== null).map((d) => `${d.key} (back to version ${d.to})`));
  list('DAG files to delete (they did not exist before)', moving.filter((d) => d.to === null).map((d) => d.key));
  lines.push(`  DAG files already as they were: ${plan.dags.length - moving.length}`);
  for (const [kind, ref] of Object.entries(plan.restore) as Array<[ExtraKind, ObjectRef]>) {
    const now = plan.env[kind];
    lines.push(`  ${EXTRA_NAMES[kind]}: back to ${ref.key} ${versionText(ref.version)} (now ${now ? `${now.key} ${versionText(now.version)}` : 'not set'})`);
  }
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  lines.push(Object.keys(plan.restore).length > 0 ? `  environment update: yes (typically ${TYPICAL_UPDATE_DURATION}), after the DAG files` : '  environment update: no');
  return lines;
}

/** Whether two plans would do the same, from the same state (each DAG file's version now included). */
export function sameRollback(a: RollbackPlan, b: RollbackPlan): boolean {
  const state = (p: RollbackPlan) => JSON.stringify([p.undoes.key, p.env.status, extrasOf(p.env), p.dags, p.restore]);
  return state(a) === state(b);
}

/** Whether the rollback would change nothing (the bucket and the environment are already as they were). */
export function rollbackIsEmpty(plan: RollbackPlan): boolean {
  return !plan.dags.some(moves) && Object.keys(plan.restore).length === 0;
}

/** Carries out a rollback plan, then records it. */
export async function applyRollback(clients: DeployClients, plan: RollbackPlan, options: ApplyOptions): Promise<ApplyResult> {
  const { env } = plan;
  const beforeDags: Record<string, string | null> = {};
  const afterDags: Record<string, string | null> = {};
  for (const dag of plan.dags) {
    beforeDags[dag.key] = dag.now;
    afterDags[dag.key] = dag.now;
    if (!moves(dag)) continue;
    if (dag.to === null) {
      await clients.s3.send(new DeleteObjectCommand({ Bucket: env.bucket, Key: dag.key }));
      afterDags[dag.key] = null;
      options.log(`s3://${env.bucket}/${dag.key} deleted (it did not exist before)`);
    } else {
      const source = `${env.bucket}/${encodeURIComponent(dag.key).replace(/%2F/g, '/')}?versionId=${encodeURIComponent(dag.to)}`;
      const copy = await clients.s3.send(new CopyObjectCommand({ Bucket: env.bucket, Key: dag.key, CopySource: source }));
      afterDags[dag.key] = copy.VersionId ?? null;
      options.log(`s3://${env.bucket}/${dag.key} restored from version ${dag.to}`);
    }
  }
  const beforeExtras = extrasOf(env);
  const updates = Object.keys(plan.restore).length > 0;
  let outcome: DeployRecord['outcome'] = 'done';
  let failure: unknown;
  if (updates) {
    const recovery =
      `\nThe DAG files are restored already; MWAA kept the environment on its versions. ` +
      `dagwright deploy --environment ${env.name} --rollback tries the update again (the record of this rollback says update-failed, so it undoes the same deploy).`;
    try {
      outcome = await updateTo(clients, env, plan.restore, options, recovery);
    } catch (error) {
      outcome = 'update-failed';
      failure = error;
    }
  }
  const entry: DeployRecord = {
    kind: 'rollback',
    at: new Date().toISOString(),
    who: await callerArn(clients.sts),
    environment: env.name,
    bucket: env.bucket,
    outcome,
    plan: {
      add: [],
      change: Object.keys(afterDags).filter((key) => afterDags[key] !== null),
      delete: Object.keys(afterDags).filter((key) => afterDags[key] === null && beforeDags[key] !== null),
      extras: (Object.entries(plan.restore) as Array<[ExtraKind, ObjectRef]>).map(([kind, ref]) => ({ kind, key: ref.key, changes: true })),
      updatesEnvironment: updates,
    },
    before: { dags: beforeDags, extras: beforeExtras },
    after: { dags: afterDags, extras: outcome === 'update-failed' ? beforeExtras : { ...beforeExtras, ...plan.restore } },
  };
  const recordKey = await writeRecord(clients.s3, entry);
  if (failure !== undefined) throw failure;
  return { record: entry, recordKey };
}
