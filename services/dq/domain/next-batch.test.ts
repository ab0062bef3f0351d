/**
 * The batch an evaluation hands on when it does not quarantine (fail, warn): a following load
 * reads it, and the loader takes only a batch of objects. An S3 prefix (a dq_check with
 * `dataset:`, as examples/orders_daily_rollup.yaml has) becomes the objects evaluated, so the
 * load loads exactly what was checked; issue 9 found it handed on as a bare string, which the
 * loader rejects ("/batch must be object").
 */
import { describe, expect, it } from 'vitest';
import { handOn, nextBatch, type ManifestWriter } from './local-run.js';

const s3 = (bucket: string, key: string) => ({ location: { scheme: 's3' as const, bucket, key } });

describe('nextBatch', () => {
  it('an S3 prefix: the objects evaluated, with the prefix as their source', () => {
    expect(nextBatch('s3://curated-orders/orders/', [s3('curated-orders', 'orders/a.parquet'), s3('curated-orders', 'orders/b.parquet')], undefined)).toEqual({
      source: 's3://curated-orders/orders/',
      objects: ['s3://curated-orders/orders/a.parquet', 's3://curated-orders/orders/b.parquet'],
    });
  });

  it('a local path stays as it was given', () => {
    expect(nextBatch('/data/orders/', [{ location: { scheme: 'file' as const, bucket: '', key: '/data/orders/a.csv' } }], undefined)).toBe('/data/orders/');
  });

  it('a batch of bare keys gets the default bucket as its source', () => {
    expect(nextBatch({ objects: [{ key: 'in/a.csv' }] }, [], 'landing')).toEqual({ objects: [{ key: 'in/a.csv' }], source: 's3://landing/' });
  });
});

describe('handOn: a large prefix is handed on as a manifest (issue 10)', () => {
  const objects = (n: number) => Array.from({ length: n }, (_, i) => ({ ...s3('lake', `orders/part-${i}.csv`), size: 10 }));
  const recording = () => {
    const calls: Array<{ at: { bucket: string; prefix: string }; keys: string[]; source: string }> = [];
    const write: ManifestWriter = async (at, entries, source) => {
      calls.push({ at, keys: entries.map((e) => e.key), source });
      return { manifest: `s3://${at.bucket}/${at.prefix}/m.jsonl`, source, count: entries.length };
    };
    return { calls, write };
  };
  const input = { pipeline: 'orders', run_id: 'scheduled__2026-01-01T00:00:00+00:00' };

  it('up to 1000 objects, the objects evaluated, inline', async () => {
    const { calls, write } = recording();
    const next = (await handOn('s3://lake/orders/', objects(1000), { writeManifest: write }, input)) as { objects: unknown[] };
    expect(next.objects).toHaveLength(1000);
    expect(calls).toEqual([]);
  });

  it('more: a manifest of the objects evaluated, in _dagwright/batches/ of their bucket', async () => {
    const { calls, write } = recording();
    const next = await handOn('s3://lake/orders/', objects(1001), { writeManifest: write }, input);
    expect(next).toEqual({ manifest: 's3://lake/_dagwright/batches/pipeline=orders/run=scheduled__2026-01-01T00%3A00%3A00%2B00%3A00/m.jsonl', source: 's3://lake/', count: 1001 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.keys).toEqual(objects(1001).map((o) => o.location.key));
  });

  it('a batch that came as a manifest reference is handed on as it came', async () => {
    const { calls, write } = recording();
    const ref = { manifest: 's3://lake/_dagwright/batches/m.jsonl', source: 's3://lake/orders/', count: 5000 };
    expect(await handOn(ref, objects(5000), { writeManifest: write }, input)).toEqual(ref);
    expect(calls).toEqual([]);
  });
});
