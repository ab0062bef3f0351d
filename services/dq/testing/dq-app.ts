/** Test helpers: the dq service in-process (createApp + supertest), on SQLite. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../kit/app.js';
import { openJobStore } from '../../kit/jobs/open-job-store.js';
import { JobRunner } from '../../kit/jobs/runner.js';
import type { Job } from '../../kit/jobs/types.js';
import { TokenSet } from '../../kit/middleware/auth/tokens.js';
import { createMetrics } from '../../kit/ops/metrics.js';
import type { ScopePolicy } from '../../kit/scopes/model.js';
import { openState } from '../../kit/state/open-state.js';
import { waitForJob } from '../../kit/testing/poll.js';
import { createDqService, type DqConfig, type DqHandle } from '../index.js';

export const AUTH = { Authorization: 'Bearer dq-test-token-1' };

/** A rule whose query runs until stopped (on 1,000 rows): a cross join eight times over. */
export const FOREVER = `CustomSql "select count(*) from ${Array.from({ length: 8 }, (_, i) => `primary p${i}`).join(', ')}" > 0`;

export interface TestApp {
  readonly app: Express;
  readonly dq: DqHandle;
  readonly runner: JobRunner;
  /** POST /v1/evaluations and wait for the job; `key` defaults to one per body. */
  evaluate(body: object, key?: string): Promise<{ post: request.Response; job: Job | undefined }>;
  close(): Promise<void>;
}

/** Extra identities (`name:token`) and their scopes, for scope tests. */
export interface TestAuth {
  readonly tokens?: ReadonlyArray<{ identity: string; token: string }>;
  readonly scopes?: ScopePolicy;
}

export async function startTestApp(env: NodeJS.ProcessEnv, overrides: Partial<Omit<DqConfig, 'state' | 'metrics' | 'env'>> = {}, auth: TestAuth = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'dw-dq-app-'));
  const state = await openState({ spec: join(dir, 'state.sqlite') });
  const metrics = createMetrics({ service: 'dq' });
  const dq = await createDqService({ state, metrics, env: { DAGWRIGHT_DQ_WORK_DIR: join(dir, 'work'), ...env }, ...overrides });
  const jobStore = openJobStore(state);
  await jobStore.migrate();
  const log = pino({ level: 'silent' });
  const runner = new JobRunner({ service: 'dq', store: jobStore, log });
  await runner.start();
  const app = createApp({ module: dq.module, runner, jobStore, tokens: new TokenSet([{ identity: 'airflow', token: 'dq-test-token-1' }, ...(auth.tokens ?? [])]), ...(auth.scopes ? { scopes: auth.scopes } : {}), log, metrics, maxBodyBytes: 1024 * 1024 });
  let n = 0;
  return {
    app,
    dq,
    runner,
    async evaluate(body, key = `dag/dq/run-${n++}`) {
      const post = await request(app).post('/v1/evaluations').set(AUTH).set('Idempotency-Key', key).send(body);
      if (post.status >= 300) return { post, job: undefined };
      const job = await waitForJob(async (id) => (await request(app).get(`/v1/jobs/${id}`).set(AUTH)).body as Job, post.body.id as string, 60_000);
      return { post, job };
    },
    async close() {
      await runner.idle();
      runner.stop();
      await dq.close();
      await state.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The app reading local datasets from a fresh directory holding `files` (path → content); `close` removes the directory too. */
export async function startLocalTestApp(files: Readonly<Record<string, string>>): Promise<TestApp & { readonly root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'dw-dq-local-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const t = await startTestApp({ DAGWRIGHT_DQ_LOCAL_ROOTS: root });
  return {
    ...t,
    root,
    async close() {
      await t.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
