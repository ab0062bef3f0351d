import { isDataKey } from '../../kit/s3/data-keys.js';
import { daysBefore, partitionOf } from '../domain/partitions.js';
import type { ObjectVersion, S3Marks } from '../domain/types.js';
import type { S3Location } from '../domain/s3-uri.js';
import type { ObjectLister } from './object-lister.js';

export interface ListingPlan {
  readonly location: S3Location;
  readonly partitioning: 'hive' | 'none';
  readonly lookbackPartitions: number;
  /** The committed marks: where the last run stopped. */
  readonly marks: S3Marks;
}

/**
 * Lists the objects a run must look at. Without partitions, or before the
 * first commit, that is every object under the prefix. With hive partitions
 * and a committed partition, only partitions from (committed - lookback) on
 * are listed, so the cost follows the new data, not the bucket's history:
 *
 * - `dt=`: one listing that starts after `dt=<start>` (ListObjectsV2
 *   StartAfter), when the values are dates; otherwise the partition names are
 *   listed (one call per 1000 partitions) to count the lookback back.
 * - `year=/month=/day=`: walks the levels with a delimiter, skipping years,
 *   months and days before the start, then lists the days left.
 */
export async function listCandidates(lister: ObjectLister, plan: ListingPlan): Promise<ObjectVersion[]> {
  const { location, marks } = plan;
  const keepFiles = (objects: ObjectVersion[]) => objects.filter((o) => isDataKey(o.key.slice(location.prefix.length)));
  if (plan.partitioning === 'none') return keepFiles(await listAll(lister, location.bucket, location.prefix));
  const underPartition = (o: ObjectVersion) => partitionOf(o.key.slice(location.prefix.length)) !== null;
  if (marks.partition === null || marks.layout === null) {
    return keepFiles(await listAll(lister, location.bucket, location.prefix)).filter(underPartition);
  }
  const objects =
    marks.layout === 'dt'
      ? await listDt(lister, location, marks.partition, plan.lookbackPartitions)
      : await listYmd(lister, location, marks.partition, plan.lookbackPartitions);
  return keepFiles(objects).filter(underPartition);
}

async function listAll(lister: ObjectLister, bucket: string, prefix: string, startAfter?: string): Promise<ObjectVersion[]> {
  const out: ObjectVersion[] = [];
  let token: string | undefined;
  do {
    const page = await lister.listPage({ bucket, prefix, ...(startAfter ? { startAfter } : {}), ...(token ? { continuationToken: token } : {}) });
    out.push(...page.objects);
    token = page.nextToken;
  } while (token);
  return out;
}

async function listPrefixes(lister: ObjectLister, bucket: string, prefix: string, startAfter?: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await lister.listPage({ bucket, prefix, delimiter: '/', ...(startAfter ? { startAfter } : {}), ...(token ? { continuationToken: token } : {}) });
    out.push(...page.prefixes);
    token = page.nextToken;
  } while (token);
  return out;
}

async function listDt(lister: ObjectLister, location: S3Location, committed: string, lookback: number): Promise<ObjectVersion[]> {
  const base = `${location.prefix}dt=`;
  let start = daysBefore(committed, lookback);
  if (start === null) {
    // Not a date: count the lookback back through the partition names.
    const names = (await listPrefixes(lister, location.bucket, base)).map((p) => p.slice(base.length, -1));
    const older = names.filter((n) => n <= committed).sort();
    start = older[Math.max(0, older.length - 1 - lookback)] ?? committed;
  }
  // Every key of partition `start` sorts after `<prefix>dt=<start>`.
  return listAll(lister, location.bucket, base, `${base}${start}`);
}

async function listYmd(lister: ObjectLister, location: S3Location, committed: string, lookback: number): Promise<ObjectVersion[]> {
  const start = daysBefore(committed, lookback) ?? committed;
  const [sy = 0, sm = 0, sd = 0] = start.split('-').map(Number);
  const value = (p: string, name: string) => Number(new RegExp(`${name}=(\\d+)/$`).exec(p)?.[1] ?? NaN);
  const out: ObjectVersion[] = [];
  for (const yp of await listPrefixes(lister, location.bucket, `${location.prefix}year=`)) {
    const y = value(yp, 'year');
    if (!(y >= sy)) continue;
    for (const mp of await listPrefixes(lister, location.bucket, `${yp}month=`)) {
      const m = value(mp, 'month');
      if (!(y > sy || m >= sm)) continue;
      for (const dp of await listPrefixes(lister, location.bucket, `${mp}day=`)) {
        const d = value(dp, 'day');
        if (!(y > sy || m > sm || d >= sd)) continue;
        out.push(...(await listAll(lister, location.bucket, dp)));
      }
    }
  }
  return out;
}
