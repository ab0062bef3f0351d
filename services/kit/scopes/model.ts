/**
 * Scopes: what one identity may do. Parsed once at start-up (`load.ts`) into
 * these typed values; `Access` checks a request's needs against them.
 */

/** `run`: the job endpoints; `admin`: reset, rewind, abandon, enable/pause/disable, rulesets; `read`: history and state. */
export const VERBS = ['run', 'admin', 'read'] as const;
export type Verb = (typeof VERBS)[number];

/** A named kind of resource a scope lists by glob patterns (`*` matches any run of characters). */
export const NAMED = ['pipeline', 'bookmark', 'warehouse'] as const;
export type NamedKind = (typeof NAMED)[number];

/** An S3 location: a bucket, and a key or key prefix inside it. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/**
 * An S3 scope entry, `s3://<bucket-glob>/<key-prefix>`: a location is inside it when its
 * bucket matches the glob and its key (or listing prefix) starts with the prefix. Give the
 * prefix with its trailing `/`: `raw/orders` would also admit `raw/orders-secret/`.
 */
export interface S3Pattern {
  readonly bucket: RegExp;
  readonly prefix: string;
  /** As configured, for messages. */
  readonly text: string;
}

/**
 * A local-file scope entry: an absolute directory. A path is inside it when it is the
 * directory or lies below it (compared on the real path the service resolved).
 */
export interface FilePattern {
  /** The directory with one trailing `/`. */
  readonly dir: string;
  /** As configured, for messages. */
  readonly text: string;
}

export interface NamePattern {
  readonly regex: RegExp;
  readonly text: string;
}

export interface Scope {
  readonly identity: string;
  readonly verbs: ReadonlySet<Verb>;
  readonly names: Readonly<Record<NamedKind, readonly NamePattern[]>>;
  readonly s3Read: readonly S3Pattern[];
  readonly s3Write: readonly S3Pattern[];
  readonly fileRead: readonly FilePattern[];
  readonly fileWrite: readonly FilePattern[];
}

/**
 * The service's scope configuration. `unscoped`: no scopes are configured and every
 * identity may do everything (as before scopes existed). `scoped`: an identity may do only
 * what its scope lists; an identity without a scope may do nothing.
 */
export type ScopePolicy =
  | { readonly kind: 'unscoped' }
  | { readonly kind: 'scoped'; readonly scopes: ReadonlyMap<string, Scope> };

export const UNSCOPED: ScopePolicy = { kind: 'unscoped' };

/** A glob (`*` only) as an anchored regular expression; every other character is literal. */
export function globRegex(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

export function matchesName(patterns: readonly NamePattern[], name: string): boolean {
  return patterns.some((p) => p.regex.test(name));
}

export function matchesS3(patterns: readonly S3Pattern[], at: S3Location): boolean {
  return patterns.some((p) => p.bucket.test(at.bucket) && at.key.startsWith(p.prefix));
}

export function filePattern(text: string): FilePattern {
  return { dir: `${text.replace(/\/+$/, '')}/`, text };
}

/** True when the absolute `path` is one of the directories, or lies below one. */
export function matchesFile(patterns: readonly FilePattern[], path: string): boolean {
  const asDir = `${path.replace(/\/+$/, '')}/`;
  return patterns.some((p) => asDir.startsWith(p.dir));
}

/** `s3://bucket/key` → its bucket and key; undefined for anything else. */
export function parseS3Uri(uri: string): S3Location | undefined {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/s.exec(uri);
  if (!m || !m[1]) return undefined;
  return { bucket: m[1], key: m[2] ?? '' };
}

export function formatS3(at: S3Location): string {
  return `s3://${at.bucket}/${at.key}`;
}
