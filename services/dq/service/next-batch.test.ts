/**
 * The batch an evaluation hands on when it does not quarantine (fail, warn): a following load
 * reads it, and the loader takes only a batch of objects. An S3 prefix (a dq_check with
 * `dataset:`, as examples/orders_daily_rollup.yaml has) becomes the objects evaluated, so the
 * load loads exactly what was checked; issue 9 found it handed on as a bare string, which the
 * loader rejects ("/batch must be object").
 */
import { describe, expect, it } from 'vitest';
import { nextBatch } from './local-run.js';

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
