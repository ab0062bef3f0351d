/**
 * Bench: begin cost of a partition-aware bookmark against a naive full
 * listing, after 1 new daily partition lands on top of a year of history.
 *
 *   bench/bookmarks/run.sh [--s3 memory|moto] [--objects 100000] [--days 365] [--repeat 3]
 *
 * Loads `objects` objects over `days` daily partitions (`dt=YYYY-MM-DD/`),
 * commits a first run on two bookmarks of the same prefix (one with
 * `partitioning: hive`, one with `none`), adds one partition, then times
 * `begin` on both, in the same process, counting ListObjectsV2 calls. Both
 * must return the same new objects. Prints the numbers and the ratios.
 *
 * `--s3 moto` uses the S3 API at DAGWRIGHT_S3_ENDPOINT (moto on loopback);
 * `--s3 memory` an in-memory bucket with ListObjectsV2's paging. Call counts
 * are the same on both; times on moto include moto's own per-call cost.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openState } from '../../services/kit/state/open-state.js';
import type { S3Batch } from '../../services/bookmarks/domain/types.js';
import { CountingObjectLister, type ObjectLister } from '../../services/bookmarks/objects/object-lister.js';
import { S3ObjectLister } from '../../services/bookmarks/objects/s3-object-lister.js';
import { MemoryBucket } from '../../services/bookmarks/testing/memory-bucket.js';
import { BookmarkService } from '../../services/bookmarks/domain/bookmark-service.js';
import { openBookmarkStore } from '../../services/bookmarks/store/open-bookmark-store.js';
import { beginInput } from '../../services/bookmarks/domain/request.js';

interface Options {
  s3: 'memory' | 'moto';
  objects: number;
  days: number;
  repeat: number;
}

function parse(argv: string[]): Options {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const s3 = get('--s3') ?? (process.env.DAGWRIGHT_S3_ENDPOINT ? 'moto' : 'memory');
  if (s3 !== 'memory' && s3 !== 'moto') throw new Error('--s3 is memory or moto');
  return { s3, objects: Number(get('--objects') ?? 100_000), days: Number(get('--days') ?? 365), repeat: Number(get('--repeat') ?? 3) };
}

const day = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  const bucketName = `dw-bench-${Date.now().toString(36)}`;
  let lister: ObjectLister;
  let put: (keys: string[]) => Promise<void>;

  if (opts.s3 === 'moto') {
    const endpoint = process.env.DAGWRIGHT_S3_ENDPOINT;
    if (!endpoint) throw new Error('--s3 moto needs DAGWRIGHT_S3_ENDPOINT');
    const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    lister = new S3ObjectLister(s3);
    put = async (keys) => {
      let next = 0;
      const worker = async () => {
        while (next < keys.length) {
          const key = keys[next++] as string;
          await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: key }));
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
    };
  } else {
    const bucket = new MemoryBucket(bucketName);
    lister = bucket;
    let t = Date.UTC(2025, 0, 1);
    put = async (keys) => {
      for (const key of keys) bucket.put({ key, etag: `e${t}`, size: key.length, last_modified: new Date((t += 1000)).toISOString() });
    };
  }

  const keysFor = (d: number, count: number) => Array.from({ length: count }, (_, i) => `events/dt=${day(d)}/part-${String(i).padStart(5, '0')}.json`);
  const perDay = Math.floor(opts.objects / opts.days);
  const extra = opts.objects - perDay * opts.days;
  const loadStart = performance.now();
  for (let d = 0; d < opts.days; d++) await put(keysFor(d, perDay + (d < extra ? 1 : 0)));
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'dw-bench-'));
  const state = await openState({ spec: join(dir, 'bench.sqlite') });
  const store = openBookmarkStore(state);
  await store.migrate();
  const counting = new CountingObjectLister(lister);
  const svc = new BookmarkService({ store, lister: counting });
  const source = `s3://${bucketName}/events/`;
  const input = (name: string, run: string, partitioning: 'hive' | 'none') =>
    beginInput(name, { run_id: run, source, partitioning, lookback_partitions: 1 }, svc.tableConnections);

  const first: Record<string, { calls: number; seconds: number; objects: number }> = {};
  for (const [name, partitioning] of [['aware', 'hive'], ['naive', 'none']] as const) {
    const calls = counting.calls;
    const t0 = performance.now();
    const res = await svc.begin(input(name, 'initial', partitioning), 'bench');
    first[name] = { calls: counting.calls - calls, seconds: (performance.now() - t0) / 1000, objects: (res.batch as S3Batch).objects.length };
    await svc.commit(name, 'initial', 'bench');
  }

  const newKeys = keysFor(opts.days, perDay);
  await put(newKeys);

  const measure = async (name: string, partitioning: 'hive' | 'none', i: number) => {
    const calls = counting.calls;
    const t0 = performance.now();
    const res = await svc.begin(input(name, `new-${i}`, partitioning), 'bench');
    const seconds = (performance.now() - t0) / 1000;
    await svc.abandon(name, `new-${i}`, 'bench');
    return { calls: counting.calls - calls, seconds, keys: (res.batch as S3Batch).objects.map((o) => o.key).sort() };
  };
  const aware: Array<Awaited<ReturnType<typeof measure>>> = [];
  const naive: Array<Awaited<ReturnType<typeof measure>>> = [];
  for (let i = 0; i < opts.repeat; i++) {
    aware.push(await measure('aware', 'hive', i));
    naive.push(await measure('naive', 'none', i));
  }
  const same = aware.every((a, i) => JSON.stringify(a.keys) === JSON.stringify(naive[i]?.keys)) && aware[0]?.keys.length === newKeys.length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const a = { calls: median(aware.map((x) => x.calls)), seconds: median(aware.map((x) => x.seconds)) };
  const n = { calls: median(naive.map((x) => x.calls)), seconds: median(naive.map((x) => x.seconds)) };

  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  const lines = [
    `bookmarks bench: s3=${opts.s3}, ${opts.objects} objects over ${opts.days} daily partitions (+1 partition of ${perDay}), lookback 1, median of ${opts.repeat}`,
    `  load: ${loadSeconds.toFixed(1)} s`,
    `  first run (setup)      : aware ${first.aware?.calls} calls ${ms(first.aware?.seconds ?? 0)} | naive ${first.naive?.calls} calls ${ms(first.naive?.seconds ?? 0)}`,
    `  begin after +1 partition:`,
    `    partition-aware (hive): ${String(a.calls).padStart(4)} list calls, ${ms(a.seconds)}, ${aware[0]?.keys.length} new objects`,
    `    naive full listing    : ${String(n.calls).padStart(4)} list calls, ${ms(n.seconds)}, ${naive[0]?.keys.length} new objects`,
    `  ratio naive/aware: list calls ${(n.calls / a.calls).toFixed(1)}x, time ${(n.seconds / a.seconds).toFixed(1)}x`,
    `  same batch from both: ${same ? 'yes' : 'NO'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await state.close();
  if (!same) process.exit(1);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
