import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Problem } from '../../kit/errors/problem.js';
import type { ListPage, ListRequest, ObjectLister } from './object-lister.js';

/** ListObjectsV2 through the AWS SDK. */
export class S3ObjectLister implements ObjectLister {
  constructor(private readonly client: S3Client) {}

  async listPage(request: ListRequest): Promise<ListPage> {
    try {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: request.bucket,
          Prefix: request.prefix,
          ...(request.delimiter ? { Delimiter: request.delimiter } : {}),
          ...(request.startAfter ? { StartAfter: request.startAfter } : {}),
          ...(request.continuationToken ? { ContinuationToken: request.continuationToken } : {}),
        }),
      );
      return {
        objects: (out.Contents ?? []).map((o) => ({
          key: o.Key ?? '',
          etag: (o.ETag ?? '').replaceAll('"', ''),
          size: o.Size ?? 0,
          last_modified: (o.LastModified ?? new Date(0)).toISOString(),
        })),
        prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
        ...(out.IsTruncated && out.NextContinuationToken ? { nextToken: out.NextContinuationToken } : {}),
      };
    } catch (err) {
      throw s3Problem(err, request.bucket);
    }
  }
}

/** S3 errors as coded problems: a missing bucket is the caller's; the rest is a dependency being down. */
export function s3Problem(err: unknown, bucket: string): Problem {
  const name = (err as { name?: string } | null)?.name ?? 'Error';
  if (name === 'NoSuchBucket') return new Problem('Resource.NotFound', { detail: `bucket ${bucket} does not exist`, cause: err });
  return new Problem('Service.DependencyUnavailable', { detail: `S3 ListObjectsV2 on ${bucket} failed: ${name}`, cause: err });
}
