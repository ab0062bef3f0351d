/**
 * The record every deploy (and rollback) leaves in the environment's bucket, under
 * dagwright/deploys/<environment>/: the object versions before and after, the plan, and who
 * deployed. `dagwright deploy --rollback` restores the latest record's `before`.
 */
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { readObject } from './bucket.js';
import type { ObjectRef } from './environment.js';
import type { ExtraKind } from './plan.js';

export const RECORD_PREFIX = 'dagwright/deploys';

export interface DeployedState {
  /** DAG object key -> its version; null: the object did not exist (or was deleted). Only keys the deploy touched. */
  readonly dags: Readonly<Record<string, string | null>>;
  readonly extras: Partial<Readonly<Record<ExtraKind, ObjectRef>>>;
}

export interface DeployRecord {
  readonly kind: 'deploy' | 'rollback';
  readonly at: string;
  /** The caller's ARN from STS GetCallerIdentity. */
  readonly who: string;
  readonly environment: string;
  readonly bucket: string;
  /** 'done'; 'update-started' (--no-wait: DAG uploads still pending); 'update-failed'. */
  readonly outcome: 'done' | 'update-started' | 'update-failed';
  readonly plan: {
    readonly add: readonly string[];
    readonly change: readonly string[];
    readonly delete: readonly string[];
    readonly extras: ReadonlyArray<{ readonly kind: ExtraKind; readonly key: string; readonly changes: boolean }>;
    readonly updatesEnvironment: boolean;
  };
  readonly before: DeployedState;
  readonly after: DeployedState;
}

export async function callerArn(sts: STSClient): Promise<string> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return identity.Arn ?? `account ${identity.Account ?? 'unknown'}`;
}

function recordPrefix(environment: string): string {
  return `${RECORD_PREFIX}/${environment}/`;
}

/** Writes the record; its key sorts by time, so the latest record is the last key. */
export async function writeRecord(s3: S3Client, record: DeployRecord): Promise<string> {
  const key = `${recordPrefix(record.environment)}${record.at.replace(/:/g, '-')}.json`;
  await s3.send(new PutObjectCommand({ Bucket: record.bucket, Key: key, Body: `${JSON.stringify(record, null, 2)}\n`, ContentType: 'application/json' }));
  return key;
}

/**
 * The latest record; with `changedSomething`, the latest whose deploy changed the environment
 * (an update that failed changed nothing: MWAA kept or restored the earlier versions, and no DAG went up).
 */
export async function latestRecord(
  s3: S3Client,
  bucket: string,
  environment: string,
  options: { readonly changedSomething?: boolean } = {},
): Promise<{ key: string; record: DeployRecord } | undefined> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: recordPrefix(environment), ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) if (object.Key?.endsWith('.json')) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  for (const key of keys.sort().reverse()) {
    const text = await readObject(s3, bucket, key);
    if (text === undefined) continue;
    const record = JSON.parse(text) as DeployRecord;
    if (!options.changedSomething || record.outcome !== 'update-failed') return { key, record };
  }
  return undefined;
}
