/**
 * S3 (and the other AWS clients) from a service's environment, the same for
 * every service: `AWS_REGION` (else `AWS_DEFAULT_REGION`, else `us-east-1`) and
 * the SDK's credential chain; `DAGWRIGHT_S3_ENDPOINT` for an S3-compatible
 * endpoint (moto, MinIO), addressed path-style; `DAGWRIGHT_S3_READY_BUCKET` for
 * a bucket `/readyz` checks with HeadBucket.
 */
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { text, type Env } from '../config/index.js';
import type { ReadinessCheck } from '../service-module.js';

/** The AWS region services use for S3 and Glue. */
export function awsRegion(env: Env): string {
  return text(env, 'AWS_REGION') ?? text(env, 'AWS_DEFAULT_REGION') ?? 'us-east-1';
}

/** An S3 client for the environment's region and endpoint. */
export function s3FromEnv(env: Env): S3Client {
  const endpoint = text(env, 'DAGWRIGHT_S3_ENDPOINT');
  return new S3Client({ region: awsRegion(env), ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
}

/** `/readyz`'s S3 check, when `DAGWRIGHT_S3_READY_BUCKET` names a bucket: HeadBucket answers. */
export function s3Readiness(client: S3Client, env: Env): ReadinessCheck[] {
  const bucket = text(env, 'DAGWRIGHT_S3_READY_BUCKET');
  if (bucket === undefined) return [];
  return [{ name: 's3', check: async () => void (await client.send(new HeadBucketCommand({ Bucket: bucket }))) }];
}
