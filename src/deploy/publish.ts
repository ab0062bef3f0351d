/**
 * Uploads artifacts to S3 and checks each one landed intact: the bytes go up with
 * Content-MD5 (S3 rejects a corrupted upload), then HeadObject must report the same ETag.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Artifact } from './artifacts.js';

export interface Published {
  readonly key: string;
  /** The object version, present when the bucket is versioned (MWAA requires it). */
  readonly versionId: string | undefined;
  readonly bytes: number;
}

export type DeployErrorCode =
  | 'deploy.upload-mismatch'
  | 'deploy.bucket-mismatch'
  | 'deploy.not-versioned'
  | 'deploy.environment'
  | 'deploy.environment-busy'
  | 'deploy.airflow-mismatch'
  | 'deploy.update-failed'
  | 'deploy.not-confirmed'
  | 'deploy.no-record'
  | 'deploy.orphan'
  | 'deploy.checks-failed'
  | 'deploy.import-errors'
  | 'deploy.dags-unknown'
  | 'deploy.version-gone'
  | 'deploy.plan-changed';

export class DeployError extends Error {
  constructor(
    readonly code: DeployErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export async function publish(s3: S3Client, bucket: string, artifacts: readonly Artifact[]): Promise<Published[]> {
  const published: Published[] = [];
  for (const item of artifacts) {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: item.key,
        Body: item.body,
        ContentMD5: item.md5Base64,
        Metadata: { 'dagwright-md5': item.md5Hex },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: item.key, ...(put.VersionId ? { VersionId: put.VersionId } : {}) }));
    // S3 checked ContentMD5 on the way in; under SSE-KMS the ETag is not the MD5, the metadata is.
    const holds = head.ETag?.replace(/"/g, '') === item.md5Hex || head.Metadata?.['dagwright-md5'] === item.md5Hex;
    if (!holds || head.ContentLength !== item.body.length) {
      throw new DeployError('deploy.upload-mismatch', `s3://${bucket}/${item.key} does not hold what was uploaded (ETag ${head.ETag}, expected ${item.md5Hex})`);
    }
    published.push({ key: item.key, versionId: put.VersionId, bytes: item.body.length });
  }
  return published;
}
