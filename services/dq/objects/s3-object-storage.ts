/** ObjectStorage on S3 through the AWS SDK: objects are streamed, never held in memory. */
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectRef, ObjectStorage, StoredObject } from './object-storage.js';
import { objectBodyStream } from '../../kit/s3/object-body.js';

const SINGLE_PUT_BYTES = 16 * 1024 * 1024;

const unquote = (etag: string | undefined) => etag?.replace(/^"|"$/g, '');

export class S3ObjectStorage implements ObjectStorage {
  constructor(private readonly client: S3Client) {}

  async list(bucket: string, prefix: string, signal?: AbortSignal): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
        signal ? { abortSignal: signal } : {},
      );
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        out.push({
          bucket,
          key: o.Key,
          size: o.Size ?? 0,
          ...(o.ETag ? { etag: unquote(o.ETag)! } : {}),
          ...(o.LastModified ? { last_modified: o.LastModified.toISOString() } : {}),
        });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out;
  }

  async download(object: ObjectRef, file: string, signal?: AbortSignal): Promise<void> {
    const res = await this.client.send(
      new GetObjectCommand({ Bucket: object.bucket, Key: object.key, ...(object.etag ? { IfMatch: `"${object.etag}"` } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    await pipeline(objectBodyStream(res.Body), createWriteStream(file), signal ? { signal } : {});
  }

  /** Small files in one PUT; larger ones streamed as a multipart upload. */
  async upload(file: string, bucket: string, key: string, signal?: AbortSignal): Promise<StoredObject> {
    const size = statSync(file).size;
    const ContentType = 'application/vnd.apache.parquet';
    let etag: string | undefined;
    if (size < SINGLE_PUT_BYTES) {
      const res = await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file), ContentType }), signal ? { abortSignal: signal } : {});
      etag = res.ETag;
    } else {
      const upload = new Upload({ client: this.client, params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType } });
      signal?.addEventListener('abort', () => void upload.abort(), { once: true });
      etag = (await upload.done()).ETag;
    }
    return { bucket, key, size, ...(etag ? { etag: unquote(etag)! } : {}) };
  }

  async copy(from: ObjectRef, to: ObjectRef): Promise<void> {
    const source = `${from.bucket}/${from.key.split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source }));
  }

  async delete(bucket: string, keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    }
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }
}
