/**
 * An MWAA environment as deploy needs it (GetEnvironment, parsed into a typed model), the
 * states in which deploy refuses to touch it, and the wait for an update to finish.
 */
import { GetEnvironmentCommand, type Environment, type MWAAClient } from '@aws-sdk/client-mwaa';
import { DeployError } from './publish.js';

/** An S3 object an environment reads, at the version it reads (undefined: the latest). */
export interface ObjectRef {
  readonly key: string;
  readonly version: string | undefined;
}

export interface MwaaEnvironment {
  readonly name: string;
  readonly bucket: string;
  readonly dagsPrefix: string;
  readonly plugins: ObjectRef | undefined;
  readonly requirements: ObjectRef | undefined;
  readonly startupScript: ObjectRef | undefined;
  /** e.g. "3.0.6" */
  readonly airflowVersion: string;
  readonly status: string;
  readonly lastUpdate: { readonly status: string | undefined; readonly error: string | undefined } | undefined;
}

/** How long an MWAA environment update typically takes (the MWAA user guide: 10 to 30 minutes). */
export const TYPICAL_UPDATE_DURATION = '10 to 30 minutes';

/** States in which an environment is in the middle of a change: deploy waits for them to end. */
const BUSY = new Set(['CREATING', 'UPDATING', 'ROLLING_BACK', 'CREATING_SNAPSHOT', 'DELETING', 'PENDING', 'MAINTENANCE']);

export async function readEnvironment(mwaa: MWAAClient, name: string): Promise<MwaaEnvironment> {
  const { Environment: raw } = await mwaa.send(new GetEnvironmentCommand({ Name: name }));
  if (!raw) throw new DeployError('deploy.environment', `MWAA environment ${name} not found`);
  return environmentModel(name, raw);
}

export function environmentModel(name: string, raw: Environment): MwaaEnvironment {
  const bucket = raw.SourceBucketArn?.split(':::')[1];
  if (!bucket) throw new DeployError('deploy.environment', `MWAA environment ${name} names no source bucket (SourceBucketArn)`);
  const ref = (key: string | undefined, version: string | undefined): ObjectRef | undefined => (key ? { key, version } : undefined);
  const error = raw.LastUpdate?.Error;
  return {
    name,
    bucket,
    dagsPrefix: (raw.DagS3Path ?? 'dags').replace(/\/+$/, ''),
    plugins: ref(raw.PluginsS3Path, raw.PluginsS3ObjectVersion),
    requirements: ref(raw.RequirementsS3Path, raw.RequirementsS3ObjectVersion),
    startupScript: ref(raw.StartupScriptS3Path, raw.StartupScriptS3ObjectVersion),
    airflowVersion: raw.AirflowVersion ?? 'unknown',
    status: raw.Status ?? 'unknown',
    lastUpdate: raw.LastUpdate
      ? { status: raw.LastUpdate.Status, error: error ? `${error.ErrorCode ?? 'error'}: ${error.ErrorMessage ?? '(no message)'}` : undefined }
      : undefined,
  };
}

/** Refuses an environment that is being created, updated or otherwise changed. */
export function refuseBusy(env: MwaaEnvironment): void {
  if (BUSY.has(env.status)) {
    throw new DeployError(
      'deploy.environment-busy',
      `MWAA environment ${env.name} is ${env.status}: deploy changes nothing until it is AVAILABLE again (see: dagwright deploy --environment ${env.name} --status)`,
    );
  }
}

export interface WaitOptions {
  /** Between two GetEnvironment calls; default 30 s. */
  readonly pollMs?: number;
  /** Give up after; default 90 minutes. */
  readonly timeoutMs?: number;
  readonly progress?: (line: string) => void;
  /**
   * The object versions the update asked for: SUCCESS counts only once the environment reads
   * them, so a GetEnvironment that still shows the previous update's SUCCESS (read just after
   * UpdateEnvironment) is not taken for this one's.
   */
  readonly expect?: Partial<Record<'plugins' | 'requirements' | 'startupScript', ObjectRef>>;
}

/**
 * Polls until the environment has finished its update: AVAILABLE with a last update of
 * SUCCESS. A failed update (UPDATE_FAILED, or MWAA rolled back and LastUpdate.Status is
 * FAILED) is a DeployError carrying LastUpdate.Error.
 */
export async function waitForUpdate(mwaa: MWAAClient, name: string, options: WaitOptions = {}): Promise<MwaaEnvironment> {
  const pollMs = options.pollMs ?? 30_000;
  const deadline = Date.now() + (options.timeoutMs ?? 90 * 60_000);
  const started = Date.now();
  for (;;) {
    const env = await readEnvironment(mwaa, name);
    const elapsed = Math.round((Date.now() - started) / 1000);
    options.progress?.(`environment ${name}: ${env.status}${env.lastUpdate?.status ? `, last update ${env.lastUpdate.status}` : ''} (${elapsed} s)`);
    if (env.status === 'UPDATE_FAILED' || (env.status === 'AVAILABLE' && env.lastUpdate?.status === 'FAILED')) {
      throw new DeployError('deploy.update-failed', `MWAA environment ${name}: the update failed: ${env.lastUpdate?.error ?? '(LastUpdate.Error is empty)'}`);
    }
    if (env.status === 'AVAILABLE' && env.lastUpdate?.status === 'SUCCESS' && readsVersions(env, options.expect)) return env;
    if (!BUSY.has(env.status) && env.status !== 'AVAILABLE') {
      throw new DeployError('deploy.update-failed', `MWAA environment ${name} is ${env.status}: ${env.lastUpdate?.error ?? 'no update error reported'}`);
    }
    if (Date.now() > deadline) throw new DeployError('deploy.update-failed', `MWAA environment ${name} still ${env.status} after ${elapsed} s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function readsVersions(env: MwaaEnvironment, expected: WaitOptions['expect']): boolean {
  return Object.entries(expected ?? {}).every(([kind, ref]) => {
    const now = env[kind as 'plugins' | 'requirements' | 'startupScript'];
    return now?.key === ref.key && (ref.version === undefined || now.version === ref.version);
  });
}
