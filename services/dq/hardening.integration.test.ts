/**
 * The dq service's local files and scratch space (issue 11, findings 11 and 12): symlinks
 * do not lead out of the allowed roots, error details quote no data and list no
 * directory, the work directory is cleaned at start, and jobs' scratch space is bounded.
 * The app runs in-process (createApp + supertest); the space bound downloads from S3 on moto.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Endpoint } from '../kit/testing/env.js';
import { seedBucket } from './testing/s3-fixture.js';
import request from 'supertest';
import { AUTH, startTestApp, type TestApp } from './testing/dq-app.js';

const root = mkdtempSync(join(tmpdir(), 'dw-dq-hard-'));
const data = join(root, 'data');
let t: TestApp;
const base = (extra: object) => ({ pipeline: 'p', run_id: `r-${Math.random()}`, ruleset: 'Rules = [ RowCount > 0 ]', on_violation: 'warn', ...extra });

beforeAll(async () => {
  mkdirSync(join(data, 'linked'), { recursive: true });
  writeFileSync(join(data, 'linked', 'ok.csv'), 'id,name\n1,a\n2,b\n');
  symlinkSync('/etc/passwd', join(data, 'linked', 'passwd.csv'));
  symlinkSync('/etc/passwd', join(data, 'passwd.csv'));
  symlinkSync('/etc', join(data, 'etc'));
  mkdirSync(join(data, 'bad'), { recursive: true });
  writeFileSync(join(data, 'bad', 'a.csv'), 'id,name\n1,a\n2,SECRET-CELL,extra,fields,here\n');
  mkdirSync(join(data, 'mixed'), { recursive: true });
  writeFileSync(join(data, 'mixed', 'first-secret-name.csv'), 'id\n1\n');
  writeFileSync(join(data, 'mixed', 'second-secret-name.jsonl'), '{"id": 1}\n');
  t = await startTestApp({ DAGWRIGHT_DQ_LOCAL_ROOTS: data });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

describe('symlinks and error details (finding 11)', () => {
  it.each([
    ['a symlinked file', () => join(data, 'passwd.csv')],
    ['a path through a symlinked directory', () => join(data, 'etc', 'passwd')],
    ['a symlinked directory as a prefix', () => `${join(data, 'etc')}/`],
  ])('%s that leads out of the roots: 400 Request.Invalid, nothing read', async (_name, dataset) => {
    const { post } = await t.evaluate(base({ dataset: dataset() }));
    expect(post.status).toBe(400);
    expect(post.body).toMatchObject({ code: 'Request.Invalid', errors: [{ path: '/dataset' }] });
    expect(JSON.stringify(post.body)).not.toMatch(/root:|\/bin\//);
  });

  it('a listing does not follow a symlink to a file outside the roots', async () => {
    const { job } = await t.evaluate(base({ dataset: `${join(data, 'linked')}/`, ruleset: 'Rules = [ RowCount = 2, ColumnExists "name" ]', on_violation: 'fail' }));
    expect(job).toMatchObject({ status: 'succeeded', result: { outcome: 'passed', rows_in: 2 } });
  });

  it('a data error names the file and line, but quotes none of its data', async () => {
    const { job } = await t.evaluate(base({ dataset: join(data, 'bad', 'a.csv') }));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.InvalidData' } });
    expect(job!.error!.detail).toContain(join(data, 'bad', 'a.csv'));
    expect(JSON.stringify(job!.error)).not.toContain('SECRET');
  });

  it('a dataset of mixed formats: the error lists no file names', async () => {
    const { job } = await t.evaluate(base({ dataset: `${join(data, 'mixed')}/` }));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.InvalidData' } });
    expect(JSON.stringify(job!.error)).not.toContain('secret-name');
  });
});

describe('the kit protects the dq API (findings 6, 7)', () => {
  it('a dataset nested 5,000 levels deep: 400 Request.Invalid, not a stack overflow', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const post = await request(t.app).post('/v1/evaluations').set(AUTH).set('Idempotency-Key', 'deep').set('Content-Type', 'application/json')
      .send(`{"pipeline":"p","run_id":"r","ruleset":"Rules = [ RowCount > 0 ]","dataset":{"objects":["s3://bucket/k.csv"],"groups":${deep}}}`);
    expect(post.status).toBe(400);
    expect(post.body.code).toBe('Request.Invalid');
  });

  it.each(['/v1/jobs/%', '/v1/evaluations/%E0%A4%A', '/v1/rulesets/%'])('%s: 400 Request.Invalid', async (path) => {
    const res = await request(t.app).get(path).set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('Request.Invalid');
  });
});

describe('scratch space (finding 12)', () => {
  it('the work directory is cleaned at start: job folders of stopped processes go, other files stay', async () => {
    const work = mkdtempSync(join(tmpdir(), 'dw-dq-work-'));
    mkdirSync(join(work, 'job_01HSTALE0000000000000000', 'data'), { recursive: true });
    writeFileSync(join(work, 'job_01HSTALE0000000000000000', 'data', '00000-orders.csv'), 'id\n1\n');
    mkdirSync(join(work, 'proc-999999999', 'job_x'), { recursive: true });
    writeFileSync(join(work, 'keep.txt'), 'not ours');
    const app = await startTestApp({ DAGWRIGHT_DQ_WORK_DIR: work });
    try {
      expect(readdirSync(work).sort()).toEqual(['keep.txt', `proc-${process.pid}`]);
      expect(readdirSync(join(work, `proc-${process.pid}`))).toEqual([]);
    } finally {
      await app.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  const s3req = s3Endpoint();
  describe.skipIf(!s3req.available)('bounded (S3 on moto)', () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: s3req.value, forcePathStyle: true });
    const bucket = `dq-hard-${Date.now()}`;
    let batch: Awaited<ReturnType<typeof seedBucket>>;
    beforeAll(async () => {
      batch = await seedBucket(s3, bucket);
    });
    afterAll(() => s3.destroy());

    it('a dataset larger than DAGWRIGHT_DQ_WORK_MAX_BYTES: 422 DQ.DatasetTooLarge, nothing left behind', async () => {
      const work = mkdtempSync(join(tmpdir(), 'dw-dq-work-'));
      const env = { DAGWRIGHT_S3_ENDPOINT: s3req.value, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', DAGWRIGHT_DQ_WORK_DIR: work };
      const small = await startTestApp({ ...env, DAGWRIGHT_DQ_WORK_MAX_BYTES: String(batch.total_bytes - 1) });
      try {
        const { job } = await small.evaluate(base({ dataset: { source: `s3://${bucket}/`, objects: batch.objects } }));
        expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.DatasetTooLarge', status: 422, retryable: false } });
        expect(job!.error!.detail).toContain(`${batch.total_bytes - 1}`);
        // Without sizes in the batch, the listing's sizes count.
        const listed = await small.evaluate(base({ dataset: `s3://${bucket}/raw/orders/` }));
        expect(listed.job).toMatchObject({ status: 'failed', error: { code: 'DQ.DatasetTooLarge' } });
        // Sizes a caller understates do not get past the budget: what is downloaded counts.
        const understated = await small.evaluate(base({ dataset: { source: `s3://${bucket}/`, objects: batch.objects.map((o) => ({ ...o, size: 0 })) } }));
        expect(understated.job).toMatchObject({ status: 'failed', error: { code: 'DQ.DatasetTooLarge' } });
        expect(readdirSync(join(work, `proc-${process.pid}`))).toEqual([]);
      } finally {
        await small.close();
      }
      const roomy = await startTestApp({ ...env, DAGWRIGHT_DQ_WORK_MAX_BYTES: String(batch.total_bytes) });
      try {
        const { job } = await roomy.evaluate(base({ dataset: { source: `s3://${bucket}/`, objects: batch.objects } }));
        expect(job).toMatchObject({ status: 'succeeded', result: { rows_in: 300 } });
      } finally {
        await roomy.close();
        rmSync(work, { recursive: true, force: true });
      }
      expect(existsSync(work)).toBe(false);
    });
  });
});
