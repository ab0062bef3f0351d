/**
 * Scopes on local files: with DAGWRIGHT_DQ_LOCAL_ROOTS set, a scoped identity reads and writes
 * local paths only inside its `files` scope (checked on the real path, as the allow-list is),
 * as it reads and writes S3 only inside its `s3` scope. Unscoped services are unchanged.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScopes } from '../../kit/scopes/load.js';
import { AUTH, startTestApp, type TestApp } from '../testing/dq-app.js';

const root = mkdtempSync(join(tmpdir(), 'dw-dq-file-scopes-'));
const data = join(root, 'lake', 'orders');
const secret = join(root, 'lake', 'secret');
const out = join(root, 'out');
const LOCAL = { Authorization: 'Bearer dq-local-token-44' };
const LINKED = { Authorization: 'Bearer dq-linked-token-55' };
/** A link to a directory, and an output below it that does not exist yet. */
const link = join(root, 'link');
const linkedOut = join(link, 'not-yet', 'dq');
const RULESET = 'Rules = [ IsComplete "id", ColumnValues "amount" > 0 ]';

describe('dq scopes on local files', () => {
  let t: TestApp;
  beforeAll(async () => {
    for (const dir of [data, secret, out]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(data, 'a.csv'), 'id,amount\n1,2\n2,-1\n');
    writeFileSync(join(secret, 'salaries.csv'), 'id,amount\n1,100000\n');
    symlinkSync(join(secret, 'salaries.csv'), join(data, 'looks-fine.csv'));
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), link);
    const scopes = parseScopes(`
identities:
  airflow:
    verbs: [run]
    pipelines: ["*"]
  local:
    verbs: [run]
    pipelines: ["*"]
    files:
      read: ["${data}/"]
      write: ["${out}/"]
  linked:
    verbs: [run]
    pipelines: ["*"]
    files:
      read: ["${data}/"]
      write: ["${linkedOut}/"]
`);
    expect(scopes.errors).toEqual([]);
    t = await startTestApp({ DAGWRIGHT_DQ_LOCAL_ROOTS: root }, {}, { tokens: [{ identity: 'local', token: 'dq-local-token-44' }, { identity: 'linked', token: 'dq-linked-token-55' }], scopes: scopes.policy });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  let n = 0;
  const post = (body: object, who = AUTH) =>
    request(t.app)
      .post('/v1/evaluations')
      .set(who)
      .set('Idempotency-Key', `file-scopes/${n++}`)
      .send({ ruleset: RULESET, format: 'csv', pipeline: 'orders_hourly', run_id: `manual__2026-01-01T0${n}:00:00+00:00`, ...body });
  const expectRefused = async (res: request.Response, code: string, path: string) => {
    expect(res.status, res.text).toBe(403);
    expect(res.body.code).toBe(code);
    expect(res.body.detail).toContain(path);
  };

  it('an identity without a files scope may read no local path: 403 Scope.FileRead', async () => {
    await expectRefused(await post({ dataset: join(data, 'a.csv'), on_violation: 'warn' }), 'Scope.FileRead', join(data, 'a.csv'));
  });

  it('inside its files scope, the evaluation runs and writes its quarantine where it may', async () => {
    const res = await post({ dataset: join(data, 'a.csv'), on_violation: 'quarantine', output: `${out}/` }, LOCAL);
    expect(res.status, res.text).toBe(202);
    const job = await waitFor(res.body.id as string);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(existsSync(join(out, 'quarantine'))).toBe(true);
  });

  it('a local path outside its read scope, or reached through a link that leads outside it: 403 Scope.FileRead', async () => {
    await expectRefused(await post({ dataset: join(secret, 'salaries.csv'), on_violation: 'warn' }, LOCAL), 'Scope.FileRead', secret);
    await expectRefused(await post({ dataset: join(data, 'looks-fine.csv'), on_violation: 'warn' }, LOCAL), 'Scope.FileRead', join(secret, 'salaries.csv'));
  });

  it('outputs outside its write scope: 403 Scope.FileWrite, nothing written', async () => {
    await expectRefused(await post({ dataset: join(data, 'a.csv'), on_violation: 'quarantine', output: `${data}/` }, LOCAL), 'Scope.FileWrite', data);
    expect(existsSync(join(data, 'quarantine'))).toBe(false);
  });

  it('a write directory not created yet, below a link, is the same directory for the scope and for the request', async () => {
    const res = await post({ dataset: join(data, 'a.csv'), on_violation: 'quarantine', output: `${linkedOut}/` }, LINKED);
    expect(res.status, res.text).toBe(202);
    const job = await waitFor(res.body.id as string, LINKED);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(existsSync(join(root, 'real', 'not-yet', 'dq', 'quarantine'))).toBe(true);
  });

  async function waitFor(id: string, who = LOCAL): Promise<{ status: string; error?: unknown }> {
    for (let i = 0; i < 600; i++) {
      const job = (await request(t.app).get(`/v1/jobs/${id}`).set(who)).body as { status: string; error?: unknown };
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not finish`);
  }
});
