/**
 * Scopes on the dq API: the attack (the Airflow token reading another bucket and
 * writing its outputs there, or into another pipeline's metric history) refused with 403
 * before S3 is touched, and the in-scope evaluation running on S3 (moto).
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScopes } from '../../kit/scopes/load.js';
import { s3Endpoint } from '../../kit/testing/env.js';
import { AUTH, startTestApp, type TestApp } from '../testing/dq-app.js';
import { listKeys, operatorBody, runId, RULESET, seedBucket, type Batch } from '../testing/s3-fixture.js';

const endpoint = s3Endpoint();
process.env['AWS_ACCESS_KEY_ID'] ??= 'testing';
process.env['AWS_SECRET_ACCESS_KEY'] ??= 'testing';
process.env['AWS_REGION'] ??= 'us-east-1';

const bucket = `dq-${randomBytes(5).toString('hex')}`;
const other = `other-${randomBytes(5).toString('hex')}`;
const s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint.value || 'http://127.0.0.1:1', forcePathStyle: true });
const READER = { Authorization: 'Bearer dq-reader-token-2' };
const OPS = { Authorization: 'Bearer dq-ops-token-33' };

const scopes = () =>
  parseScopes(`
identities:
  airflow:
    verbs: [run]
    pipelines: ["orders_*"]
    s3:
      read: ["s3://${bucket}/raw/orders/"]
      write: ["s3://${bucket}/_dagwright/dq/"]
  reader:
    verbs: [read]
    pipelines: ["payments_*"]
  ops:
    verbs: [admin, read]
    pipelines: ["*"]
`).policy;

describe('dq scopes', () => {
  let t: TestApp;
  let batch: Batch;
  beforeAll(async () => {
    if (endpoint.available) {
      batch = await seedBucket(s3, bucket);
      await s3.send(new CreateBucketCommand({ Bucket: other }));
    } else batch = { objects: [{ key: 'raw/orders/part-0.csv', etag: 'e', size: 1, last_modified: '2026-01-01T00:00:00.000Z' }], total_bytes: 1 };
    t = await startTestApp(
      { DAGWRIGHT_S3_ENDPOINT: endpoint.value, DAGWRIGHT_DQ_DEFAULT_BUCKET: bucket, AWS_REGION: 'us-east-1' },
      {},
      {
        tokens: [
          { identity: 'reader', token: 'dq-reader-token-2' },
          { identity: 'ops', token: 'dq-ops-token-33' },
        ],
        scopes: scopes(),
      },
    );
  });
  afterAll(async () => t?.close());

  const post = (body: object, who = AUTH) => request(t.app).post('/v1/evaluations').set(who).set('Idempotency-Key', `k-${randomBytes(4).toString('hex')}`).send(body);
  const expectScope = (res: request.Response, code: string, names?: string) => {
    expect(res.status, res.text).toBe(403);
    expect(res.body.code).toBe(code);
    if (names) expect(res.body.detail).toContain(names);
  };

  it.each([
    ['a dataset in another bucket', { dataset: `s3://${other}/private/secret.csv` }, 'Scope.S3Read', `s3://${other}/private/secret.csv`],
    ['a dataset prefix wider than the scope', { dataset: `s3://${bucket}/raw/` }, 'Scope.S3Read', `s3://${bucket}/raw/`],
    ['a batch object in another bucket', { dataset: { objects: [`s3://${other}/private/secret.csv`] } }, 'Scope.S3Read', 'secret.csv'],
    ['a reference in another bucket', { references: { ref: `s3://${other}/private/` } }, 'Scope.S3Read', `s3://${other}/private/`],
    ['outputs written to another bucket', { output: `s3://${other}/stolen/` }, 'Scope.S3Write', `s3://${other}/stolen/`],
    ['outputs written next to the data', { output: `s3://${bucket}/raw/orders/` }, 'Scope.S3Write', `s3://${bucket}/raw/orders/`],
    ['another pipeline', { pipeline: 'payments_daily' }, 'Scope.Pipeline', 'payments_daily'],
    ['another pipeline’s metric history', { history_key: 'payments_daily|x|y' }, 'Scope.Pipeline', 'payments_daily'],
  ])('out of scope: %s → 403 before anything is created or touched', async (_name, change, code, names) => {
    const res = await post({ ...operatorBody(batch, runId(3)), ...change });
    expectScope(res, code, names);
    if (endpoint.available) expect(await listKeys(s3, other, '')).toEqual([]);
  });

  it('run: an identity without the verb gets 403 Scope.Run', async () => {
    expectScope(await post(operatorBody(batch, runId(4)), READER), 'Scope.Run');
  });

  it.skipIf(!endpoint.available)('in scope: the evaluation reads the batch and writes passed/ and quarantine/ on S3', async () => {
    const { job } = await t.evaluate(operatorBody(batch, runId(5)));
    expect(job?.status, JSON.stringify(job?.error)).toBe('succeeded');
    expect((await listKeys(s3, bucket, '_dagwright/dq/quarantine/')).length).toBeGreaterThan(0);
    const prefix = await t.evaluate({ ...operatorBody(batch, runId(6)), dataset: `s3://${bucket}/raw/orders/`, output: `s3://${bucket}/_dagwright/dq/` });
    expect(prefix.job?.status, JSON.stringify(prefix.job?.error)).toBe('succeeded');
  });

  it('read: history needs read and the pipeline; admin: storing a ruleset needs admin', async () => {
    expectScope(await request(t.app).get('/v1/evaluations?pipeline=orders_hourly').set(AUTH), 'Scope.Read');
    expectScope(await request(t.app).get('/v1/evaluations?pipeline=orders_hourly').set(READER), 'Scope.Pipeline', 'orders_hourly');
    expect((await request(t.app).get('/v1/evaluations?pipeline=payments_daily').set(READER)).status).toBe(200);
    expect((await request(t.app).get('/v1/evaluations?pipeline=orders_hourly').set(OPS)).status).toBe(200);
    expectScope(await request(t.app).get('/v1/rulesets').set(AUTH), 'Scope.Read');
    expectScope(await request(t.app).put('/v1/rulesets/orders').set(READER).send({ text: RULESET }), 'Scope.Admin');
    expect((await request(t.app).put('/v1/rulesets/orders').set(OPS).send({ text: RULESET })).status).toBe(200);
  });

  it.skipIf(!endpoint.available)('read: one evaluation needs its pipeline in scope', async () => {
    const { job } = await t.evaluate(operatorBody(batch, runId(7)));
    expectScope(await request(t.app).get(`/v1/evaluations/${job!.id}`).set(READER), 'Scope.Pipeline', 'orders_hourly');
    expect((await request(t.app).get(`/v1/evaluations/${job!.id}`).set(OPS)).status).toBe(200);
  });
});
