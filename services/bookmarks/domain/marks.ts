import type { ObjectVersion, S3Marks, VersionRef } from './types.js';

/**
 * The S3 bookmark rule, Glue's with a band that makes it exact:
 *
 * - A version is new when its last-modified time is after `high - window`
 *   and it is not in the band (the versions committed inside that window).
 * - On commit, `high` moves to the newest committed time and the band keeps
 *   the committed versions still inside `(high - tolerance, high]`.
 *
 * A version that turns up late, with a time older than `high` but inside the
 * band, is therefore picked up once; a version already committed is never
 * picked again, because either it is in the band or its time is at or before
 * `high - window`, and `high` never goes back (except by reset or rewind).
 * The window is the smaller of this run's tolerance and the band's, so
 * raising the tolerance cannot resurrect versions pruned from a smaller band.
 */

export function initialS3Marks(): S3Marks {
  return { kind: 's3', low: null, high: null, band: [], band_seconds: 0, partition: null, layout: null };
}

export function versionId(v: VersionRef): string {
  return `${v.key}\u0000${v.etag}\u0000${v.last_modified}`;
}

export function selectNew(objects: readonly ObjectVersion[], marks: S3Marks, toleranceSeconds: number): ObjectVersion[] {
  const band = new Set(marks.band.map(versionId));
  if (marks.high === null) return objects.filter((o) => !band.has(versionId(o)));
  const windowMs = Math.min(toleranceSeconds, marks.band_seconds) * 1000;
  const threshold = Date.parse(marks.high) - windowMs;
  return objects.filter((o) => Date.parse(o.last_modified) > threshold && !band.has(versionId(o)));
}

export interface AdvanceOptions {
  readonly toleranceSeconds: number;
  /** The hive partition of each committed key, if partitioned. */
  readonly partitionOf?: (key: string) => { value: string; layout: S3Marks['layout'] } | null;
}

export function advanceMarks(marks: S3Marks, committed: readonly ObjectVersion[], options: AdvanceOptions): S3Marks {
  let high = marks.high === null ? null : Date.parse(marks.high);
  let low = marks.low === null ? null : Date.parse(marks.low);
  let partition = marks.partition;
  let layout = marks.layout;
  for (const o of committed) {
    const t = Date.parse(o.last_modified);
    if (high === null || t > high) high = t;
    if (low === null || t < low) low = t;
    const p = options.partitionOf?.(o.key);
    if (p && (partition === null || p.value > partition)) {
      partition = p.value;
      layout = p.layout;
    }
  }
  if (high === null) return { ...marks, band_seconds: options.toleranceSeconds };
  const threshold = high - options.toleranceSeconds * 1000;
  const seen = new Map<string, VersionRef>();
  for (const v of [...marks.band, ...committed]) {
    if (Date.parse(v.last_modified) > threshold) seen.set(versionId(v), { key: v.key, etag: v.etag, last_modified: v.last_modified });
  }
  const band = [...seen.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.last_modified < b.last_modified ? -1 : 1));
  return {
    kind: 's3',
    low: new Date(low ?? high).toISOString(),
    high: new Date(high).toISOString(),
    band,
    band_seconds: options.toleranceSeconds,
    partition,
    layout,
  };
}
