/**
 * Batch manifests (src/contract/batch.ts): a large batch's object list as one immutable
 * JSON-lines object in S3, so a reference to it, not the list, crosses XCom and request
 * bodies. Written content-addressed (the key holds the SHA-256 of the content), so a retry
 * writes the very same object; read streaming, line by line, with located errors.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BATCH_MANIFEST_MAX_OBJECTS, type BatchManifestRef } from '../../../src/contract/index.js';
import { Problem } from '../errors/problem.js';
import { objectBodyStream } from '../s3/object-body.js';

/** One line of a manifest: an object, as an inline batch lists it. */
export interface ManifestEntry {
  readonly key: string;
  readonly bucket?: string;
  readonly size?: number;
  readonly etag?: string;
  readonly last_modified?: string;
}

export interface S3Place {
  readonly bucket: string;
  readonly key: string;
}

const URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/** `s3://bucket/key` of a manifest, or undefined. */
export function parseManifestUri(uri: string): S3Place | undefined {
  const m = URI.exec(uri);
  if (m === null || m[2]!.endsWith('/')) return undefined;
  return { bucket: m[1]!, key: m[2]! };
}

function line(entry: ManifestEntry): string {
  const out: Record<string, unknown> = { key: entry.key };
  if (entry.bucket !== undefined) out.bucket = entry.bucket;
  if (entry.size !== undefined) out.size = entry.size;
  if (entry.etag !== undefined) out.etag = entry.etag;
  if (entry.last_modified !== undefined) out.last_modified = entry.last_modified;
  return `${JSON.stringify(out)}\n`;
}

export interface WrittenManifest extends BatchManifestRef {
  readonly count: number;
  readonly total_bytes: number;
  readonly sha256: string;
}

/**
 * Writes `entries` as a manifest under `prefix` (`<prefix>/<sha256>.jsonl`), streaming it
 * in parts. The same entries always give the same object: when it exists already (a retry),
 * it is not written again.
 */
export async function writeManifest(client: S3Client, at: { readonly bucket: string; readonly prefix: string }, entries: readonly ManifestEntry[], source?: string): Promise<WrittenManifest> {
  const hash = createHash('sha256');
  let total = 0;
  for (const e of entries) {
    hash.update(line(e));
    total += e.size ?? 0;
  }
  const sha256 = hash.digest('hex');
  const key = `${at.prefix.replace(/\/+$/, '')}/${sha256}.jsonl`;
  const ref: WrittenManifest = { manifest: `s3://${at.bucket}/${key}`, ...(source !== undefined ? { source } : {}), count: entries.length, total_bytes: total, sha256 };
  try {
    if (await exists(client, at.bucket, key)) return ref;
    const body = Readable.from(
      (function* () {
        // Lines in chunks of about 64 KiB: few writes, and never the whole list as one string.
        let chunk = '';
        for (const e of entries) {
          chunk += line(e);
          if (chunk.length >= 64 * 1024) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk !== '') yield chunk;
      })(),
    );
    await new Upload({ client, params: { Bucket: at.bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' } }).done();
  } catch (err) {
    if (err instanceof Problem) throw err;
    throw new Problem('Service.DependencyUnavailable', { detail: `could not write the batch manifest ${ref.manifest}: ${(err as Error).name ?? err}`, cause: err });
  }
  return ref;
}

async function exists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((err as { name?: string }).name === 'NotFound' || status === 404) return false;
    throw err;
  }
}

const invalid = (uri: string, path: string, message: string) =>
  new Problem('Manifest.Invalid', { detail: `the batch manifest ${uri} ${message}`, errors: [{ path, message }] });

/** Checks one parsed line; a message when it is not an object entry. */
function entryError(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'is not a JSON object';
  const o = doc as Record<string, unknown>;
  if (typeof o.key !== 'string' || o.key === '' || o.key.length > 2048) return 'has no key (a string of 1 to 2048 characters)';
  if (o.bucket !== undefined && typeof o.bucket !== 'string') return 'has a bucket that is not a string';
  if (o.size !== undefined && !(Number.isSafeInteger(o.size) && (o.size as number) >= 0)) return 'has a size that is not a whole number of bytes';
  if (o.etag !== undefined && typeof o.etag !== 'string') return 'has an etag that is not a string';
  return undefined;
}

/**
 * The entries of the manifest `ref` names, streamed line by line (blank lines are skipped).
 * Problems: `Manifest.NotFound` when there is no such object, `Manifest.Invalid` for a line
 * that is not an object entry (located `<path>/manifest`, with the line number), for an empty
 * manifest, for one that lists another number of objects than `ref.count` says, or whose
 * bytes do not hash to `ref.sha256` (checked once the last line is read);
 * `Service.DependencyUnavailable` when S3 fails otherwise. `path` is the reference's JSON
 * Pointer in the request (`/batch`, `/dataset`).
 */
export async function* readManifest(client: S3Client, ref: BatchManifestRef, path: string, signal?: AbortSignal): AsyncGenerator<ManifestEntry> {
  const uri = ref.manifest;
  const at = parseManifestUri(uri);
  if (at === undefined) throw invalid(uri, `${path}/manifest`, 'is not an s3://bucket/key URI');
  let body: Readable;
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }), signal ? { abortSignal: signal } : {});
    body = objectBodyStream(out.Body);
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound' || status === 404) {
      throw new Problem('Manifest.NotFound', { detail: `the batch manifest ${uri} does not exist`, errors: [{ path: `${path}/manifest`, message: 'names no object' }], cause: err });
    }
    if (name === 'AbortError') throw err;
    throw new Problem('Service.DependencyUnavailable', { detail: `could not read the batch manifest ${uri}: ${name}`, cause: err });
  }
  // The bytes as they come, for the reference's sha256: a manifest changed since it was
  // written is refused (after its last line, so before a load commits or an evaluation ends).
  const hash = createHash('sha256');
  body.on('data', (chunk: Buffer | string) => hash.update(chunk));
  let count = 0;
  let n = 0;
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    n++;
    if (text.trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw invalid(uri, `${path}/manifest`, `line ${n} is not valid JSON`);
    }
    const problem = entryError(doc);
    if (problem !== undefined) throw invalid(uri, `${path}/manifest`, `line ${n} ${problem}`);
    if (++count > BATCH_MANIFEST_MAX_OBJECTS) throw invalid(uri, `${path}/manifest`, `lists more than ${BATCH_MANIFEST_MAX_OBJECTS} objects`);
    yield doc as ManifestEntry;
  }
  if (count === 0) throw invalid(uri, `${path}/manifest`, 'lists no objects');
  if (ref.count !== undefined && ref.count !== count) throw invalid(uri, `${path}/count`, `lists ${count} objects, the reference says ${ref.count}`);
  if (ref.sha256 !== undefined) {
    const actual = hash.digest('hex');
    if (actual !== ref.sha256) throw invalid(uri, `${path}/sha256`, `does not match its sha256 (${actual}, the reference says ${ref.sha256}): it changed since it was written`);
  }
}

/** Reads manifests: `readManifest` over one client (a service's), or a test's own. */
export type ManifestReader = (ref: BatchManifestRef, path: string, signal?: AbortSignal) => AsyncIterable<ManifestEntry>;

export function s3ManifestReader(client: S3Client): ManifestReader {
  return (ref, path, signal) => readManifest(client, ref, path, signal);
}
