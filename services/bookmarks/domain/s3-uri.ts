import { S3_PREFIX_MAX_LENGTH } from '../../../src/contract/index.js';
import { Problem } from '../../kit/errors/problem.js';

export interface S3Location {
  readonly bucket: string;
  /** The key prefix, empty or ending with `/`. */
  readonly prefix: string;
}

export type S3UriError = { readonly code: 'Source.InvalidUri'; readonly message: string };

const BUCKET = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

/**
 * Parses `s3://bucket/prefix/`. The prefix is taken as a folder: a missing
 * trailing `/` is added, so `s3://b/logs` never matches `logs2/`.
 */
export function parseS3Uri(uri: string): S3Location | S3UriError {
  const fail = (message: string): S3UriError => ({ code: 'Source.InvalidUri', message });
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(uri);
  if (!m) return fail('must start with s3://');
  const bucket = m[1] ?? '';
  let prefix = m[2] ?? '';
  if (!BUCKET.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    return fail(`"${bucket}" is not a valid bucket name`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f*?]/.test(prefix)) return fail('the prefix must not contain control characters or wildcards');
  if (prefix.startsWith('/') || prefix.includes('//')) return fail('the prefix must not contain empty path segments');
  if (prefix.length > S3_PREFIX_MAX_LENGTH) return fail(`the prefix is longer than ${S3_PREFIX_MAX_LENGTH} characters`);
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  return { bucket, prefix };
}

export function isS3UriError(value: S3Location | S3UriError): value is S3UriError {
  return 'code' in value;
}

/** Parses or throws `400 Source.InvalidUri`. */
export function requireS3Uri(uri: string): S3Location {
  const parsed = parseS3Uri(uri);
  if (isS3UriError(parsed)) {
    throw new Problem('Source.InvalidUri', {
      detail: `${JSON.stringify(uri)}: ${parsed.message}`,
      errors: [{ path: '/source', message: parsed.message }],
    });
  }
  return parsed;
}

export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.prefix}`;
}
