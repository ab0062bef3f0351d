/**
 * Where data lives: `s3://bucket/key` objects, or absolute local paths (only under the
 * directories the service is configured to allow). Both are a bucket and a key; local
 * paths have the bucket ''.
 */
import { realPath } from '../../kit/fs/real-path.js';
import path from 'node:path';

export interface Location {
  readonly scheme: 's3' | 'file';
  readonly bucket: string;
  readonly key: string;
}

const BUCKET = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

export function isBucketName(name: string): boolean {
  return BUCKET.test(name);
}

/**
 * Parses a URI; a reason string when it is not one the service may use. A local path is
 * checked where it really leads (symlinks resolved), against roots given as real paths.
 */
export function parseLocation(uri: string, localRoots: readonly string[]): Location | string {
  const s3 = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (s3 !== null) {
    if (!isBucketName(s3[1] ?? '')) return `${uri}: not a valid bucket name`;
    return { scheme: 's3', bucket: s3[1]!, key: s3[2] ?? '' };
  }
  const local = uri.startsWith('file://') ? uri.slice('file://'.length) : uri;
  if (!path.isAbsolute(local)) return `${uri}: give s3://bucket/key or an absolute local path`;
  const real = realPath(local);
  const resolved = real + (local.endsWith('/') && !real.endsWith('/') ? '/' : '');
  const allowed = localRoots.some((root) => resolved === root || resolved.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
  if (!allowed) return `${uri}: local paths are allowed only under ${localRoots.length > 0 ? localRoots.join(', ') : 'the configured roots (DAGWRIGHT_DQ_LOCAL_ROOTS, none set)'}`;
  return { scheme: 'file', bucket: '', key: resolved };
}

export function formatLocation(l: Location): string {
  return l.scheme === 's3' ? `s3://${l.bucket}/${l.key}` : l.key;
}

/** `prefix/` + parts, with one `/` between. */
export function child(l: Location, ...parts: readonly string[]): Location {
  const key = [l.key.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].filter((p) => p !== '').join('/');
  return { ...l, key: l.scheme === 'file' && !key.startsWith('/') ? `/${key}` : key };
}

/** Hive-style escaping of a partition value (`:` → `%3A`, ...). */
export function partitionValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
