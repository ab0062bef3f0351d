/** What an environment's bucket holds now: the latest version of each object, with its MD5. */
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface BucketObject {
  readonly key: string;
  /**
   * The version id; `"null"` for an object written before the bucket had versioning (S3's
   * own name for that version, which a CopySource or HeadObject accepts): it exists, unlike
   * a DAG file a record marks `null`.
   */
  readonly versionId: string | undefined;
  /** The ETag without quotes: the MD5 of the bytes for a plain single-part upload, not under SSE-KMS. */
  readonly etag: string;
  /** The MD5 dagwright recorded when it uploaded the object (metadata `dagwright-md5`), when read. */
  readonly md5?: string;
}

/** The latest, not deleted, version of every object under `prefix/`. */
export async function latestObjects(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, BucketObject>> {
  const found = new Map<string, BucketObject>();
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: `${prefix}/`, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(versionMarker ? { VersionIdMarker: versionMarker } : {}) }),
    );
    for (const version of page.Versions ?? []) {
      if (version.IsLatest && version.Key) {
        found.set(version.Key, { key: version.Key, versionId: version.VersionId, etag: (version.ETag ?? '').replace(/"/g, '') });
      }
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return found;
}

/** One object at a version (the latest when undefined), or undefined when it does not exist. */
export async function headObject(s3: S3Client, bucket: string, key: string, version: string | undefined): Promise<BucketObject | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...(version ? { VersionId: version } : {}) }));
    const md5 = head.Metadata?.['dagwright-md5'];
    return { key, versionId: head.VersionId, etag: (head.ETag ?? '').replace(/"/g, ''), ...(md5 ? { md5 } : {}) };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The first bytes of an object: enough for a DAG file's generated header. */
export async function readObjectStart(s3: S3Client, bucket: string, key: string, bytes = 2048): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}` }));
  return (await object.Body?.transformToString('utf8')) ?? '';
}

export async function readObject(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body?.transformToString('utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function isVersioned(s3: S3Client, bucket: string): Promise<boolean> {
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  return versioning.Status === 'Enabled';
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchVersion' || status === 404;
}

/**
 * Whether an object holds `md5Hex`: its ETag is the MD5 of a plain upload, but not of an
 * SSE-KMS or multipart one, so an ETag that differs is asked about the MD5 dagwright recorded
 * in the object's metadata when it uploaded it (`dagwright-md5`).
 */
export async function holdsContent(s3: S3Client, bucket: string, object: BucketObject, md5Hex: string): Promise<boolean> {
  if (object.etag === md5Hex) return true;
  const md5 = object.md5 ?? (await headObject(s3, bucket, object.key, object.versionId))?.md5;
  return md5 === md5Hex;
}
