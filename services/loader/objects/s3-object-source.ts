import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Problem } from '../../kit/errors/problem.js';
import { objectBodyStream } from '../../kit/s3/object-body.js';
import type { BatchObject } from '../domain/types.js';
import type { ObjectSource } from './object-source.js';

export class S3ObjectSource implements ObjectSource {
  constructor(private readonly client: S3Client) {}

  async size(object: BatchObject, signal?: AbortSignal): Promise<number> {
    if (object.size !== undefined) return object.size;
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }), signal ? { abortSignal: signal } : {});
      return out.ContentLength ?? 0;
    } catch (err) {
      throw objectProblem(err, object);
    }
  }

  async open(object: BatchObject, options: { readonly range?: readonly [number, number]; readonly signal?: AbortSignal } = {}): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          ...(options.range ? { Range: `bytes=${options.range[0]}-${options.range[1]}` } : {}),
          ...(object.etag ? { IfMatch: `"${object.etag}"` } : {}),
        }),
        options.signal ? { abortSignal: options.signal } : {},
      );
      return objectBodyStream(out.Body);
    } catch (err) {
      throw objectProblem(err, object);
    }
  }

  async download(object: BatchObject, path: string, signal?: AbortSignal): Promise<number> {
    const body = await this.open(object, signal ? { signal } : {});
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    try {
      await pipeline(body, createWriteStream(path), signal ? { signal } : {});
    } catch (err) {
      throw objectProblem(err, object);
    }
    return bytes;
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    } catch (err) {
      throw objectProblem(err, { bucket, key });
    }
  }
}

/** S3 errors as protocol problems: a missing or changed object is the batch's fault; the rest is S3 being down. */
export function objectProblem(err: unknown, object: Pick<BatchObject, 'bucket' | 'key'>): Problem {
  if (err instanceof Problem) return err;
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; code?: string } | null;
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const where = `s3://${object.bucket}/${object.key}`;
  if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || status === 404) {
    return new Problem('DataError', { detail: `${where} does not exist`, errors: [{ path: '/batch', message: `${where} does not exist` }], cause: err });
  }
  if (name === 'PreconditionFailed' || status === 412) {
    return new Problem('DataError', { detail: `${where} changed since the batch was listed (its ETag differs)`, cause: err });
  }
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) {
    return new Problem('PermissionDenied', { detail: `the loader may not read ${where}`, cause: err });
  }
  if (name === 'AbortError') return new Problem('Job.Interrupted', { detail: 'the load was aborted', cause: err });
  return new Problem('Service.DependencyUnavailable', { detail: `S3 failed reading ${where}: ${name}`, cause: err });
}
