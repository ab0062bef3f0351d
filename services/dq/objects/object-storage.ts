/** The object operations the dq service needs, on S3 or on a local directory tree. */

export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  readonly last_modified?: string;
}

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly etag?: string;
}

export interface ObjectStorage {
  /** Every object under a prefix (recursively), in key order. */
  list(bucket: string, prefix: string, signal?: AbortSignal): Promise<StoredObject[]>;
  /** Streams an object into a local file. */
  download(object: ObjectRef, file: string, signal?: AbortSignal): Promise<void>;
  /** Uploads a local file (multipart when large). */
  upload(file: string, bucket: string, key: string, signal?: AbortSignal): Promise<StoredObject>;
  copy(from: ObjectRef, to: ObjectRef): Promise<void>;
  delete(bucket: string, keys: readonly string[]): Promise<void>;
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}
