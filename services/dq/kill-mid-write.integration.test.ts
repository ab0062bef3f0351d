/**
 * A real dq process killed (SIGKILL) in the middle of writing a quarantine loses no row
 * and duplicates none. The service runs with a test-only fault
 * (DAGWRIGHT_FAULT_DQ_PAUSE_AFTER) that stops it after one step of publishing; the test
 * kills it there, restarts it on the same state (the job is now `failed` with the
 * retryable Job.Interrupted), posts again with the same Idempotency-Key, and checks on S3
 * (moto) that every row is in exactly one of passed/ and quarantine/.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Endpoint } from '../kit/testing/env.js';
import { startService, type ServiceProcess } from '../kit/testing/process.js';
import { expectExactlyOnce, operatorBody, runId, seedBucket, type Batch } from './testing/s3-fixture.js';

const endpoint = s3Endpoint();
const TOKEN = 'dq-kill-test-token';
const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
const bucket = `dq-kill-${randomBytes(4).toString('hex')}`;
const s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint.value, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const dir = mkdtempSync(join(tmpdir(), 'dw-dq-kill-'));
let batch: Batch;

beforeAll(async () => {
  if (endpoint.available) batch = await seedBucket(s3, bucket);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function call(url: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
  return { status: res.status, body: await res.json() };
}

async function waitJob(url: string, id: string): Promise<any> {
  for (let i = 0; i < 1500; i++) {
    const { body } = await call(url, `/v1/jobs/${id}`);
    if (body.status === 'succeeded' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${id} did not finish`);
}

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  DAGWRIGHT_TOKEN: TOKEN,
  DAGWRIGHT_S3_ENDPOINT: endpoint.value,
  DAGWRIGHT_DQ_DEFAULT_BUCKET: bucket,
  DAGWRIGHT_DQ_WORK_DIR: join(dir, 'work'),
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  ...extra,
});

describe.skipIf(!endpoint.available)('SIGKILL while writing the quarantine, then a retry (real process, moto)', () => {
  it.each([
    ['after copying the quarantine file to its partition', 'copy:failed', 1],
    ['after uploading the passed rows to the temporary prefix', 'upload:passed', 2],
  ])('%s', async (_name, fault, i) => {
    const state = join(dir, `state-${i}.sqlite`);
    const args = ['dq', '--port', '0', '--host', '127.0.0.1', '--state', state];
    const run = runId(20 + i);
    const key = `orders_hourly/quality/${run}/-1`;
    const post = (url: string) => call(url, '/v1/evaluations', { method: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify(operatorBody(batch, run)) });
    let svc: ServiceProcess | undefined = await startService(args, env({ DAGWRIGHT_FAULT_DQ_PAUSE_AFTER: fault, DAGWRIGHT_FAULT_DQ_PAUSE_MS: '60000' }), { faults: true });
    try {
      const first = await post(svc.url);
      expect(first.status).toBe(202);
      await svc.waitFor(/fault: paused after/);
      svc.proc.kill('SIGKILL');
      await svc.exited;
      svc = await startService(args, env());
      const interrupted = await call(svc.url, `/v1/jobs/${first.body.id}`);
      expect(interrupted.body).toMatchObject({ status: 'failed', error: { code: 'Job.Interrupted', retryable: true } });
      const retry = await post(svc.url);
      expect(retry.status).toBe(202);
      const job = await waitJob(svc.url, retry.body.id);
      expect(job).toMatchObject({ status: 'succeeded', attempt: 2 });
      await expectExactlyOnce(s3, bucket, run, job.result, dir);
    } finally {
      svc?.proc.kill('SIGKILL');
      await svc?.exited;
    }
  });
});
