import type { Readable } from 'node:stream';
import type { BatchObject } from '../domain/types.js';

/** Where a load's objects come from: the S3 operations a load needs (and the Redshift manifest it writes beside them). Tests and the bench may wrap it. */
export interface ObjectSource {
  /** The object's size: from the batch when it said, else HEAD. */
  size(object: BatchObject, signal?: AbortSignal): Promise<number>;
  /** The object's bytes as a stream; `range` is inclusive, as in HTTP. */
  open(object: BatchObject, options?: { readonly range?: readonly [number, number]; readonly signal?: AbortSignal }): Promise<Readable>;
  /** Streams the object into a local file; resolves to the bytes written. */
  download(object: BatchObject, path: string, signal?: AbortSignal): Promise<number>;
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}
