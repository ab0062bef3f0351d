import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Problem } from '../../kit/errors/problem.js';
import type { BatchObject } from '../domain/types.js';
import type { ObjectSource } from '../objects/object-source.js';

/** An in-memory ObjectSource, for tests that need no S3 server (the Redshift mocks). */
export class MemoryObjects implements ObjectSource {
  readonly objects = new Map<string, Buffer>();

  set(bucket: string, key: string, body: string | Buffer): BatchObject {
    const buf = Buffer.from(body);
    this.objects.set(`${bucket}/${key}`, buf);
    return { bucket, key, size: buf.length, etag: undefined };
  }

  get(bucket: string, key: string): string | undefined {
    return this.objects.get(`${bucket}/${key}`)?.toString('utf8');
  }

  async size(object: BatchObject): Promise<number> {
    return object.size ?? this.body(object).length;
  }

  async open(object: BatchObject, options: { readonly range?: readonly [number, number] } = {}): Promise<Readable> {
    const body = this.body(object);
    return Readable.from([options.range ? body.subarray(options.range[0], options.range[1] + 1) : body]);
  }

  async download(object: BatchObject, path: string): Promise<number> {
    const body = this.body(object);
    await writeFile(path, body);
    return body.length;
  }

  async put(bucket: string, key: string, body: string): Promise<void> {
    this.set(bucket, key, body);
  }

  private body(object: BatchObject): Buffer {
    const body = this.objects.get(`${object.bucket}/${object.key}`);
    if (!body) throw new Problem('DataError', { detail: `s3://${object.bucket}/${object.key} does not exist` });
    return body;
  }
}
