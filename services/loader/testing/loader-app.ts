import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import { createApp } from '../../kit/app.js';
import { openJobStore } from '../../kit/jobs/open-job-store.js';
import { JobRunner } from '../../kit/jobs/runner.js';
import type { Job } from '../../kit/jobs/types.js';
import { TokenSet } from '../../kit/middleware/auth/tokens.js';
import { createMetrics } from '../../kit/ops/metrics.js';
import type { ScopePolicy } from '../../kit/scopes/model.js';
import { openState, type StateBackend } from '../../kit/state/open-state.js';
import { waitForJob } from '../../kit/testing/poll.js';
import { createLoaderService, type LoaderConfig, type LoaderHandle } from '../index.js';

export const TOKEN = 'loader-test-token';
export const AUTH = { Authorization: `Bearer ${TOKEN}` };

export interface LoaderApp {
  readonly app: Express;
  readonly service: LoaderHandle;
  post(body: object, key: string): request.Test;
  job(id: string): Promise<Job>;
  /** Polls a job until it is final. */
  wait(id: string): Promise<Job>;
  /** POST, then poll the job until it is final. */
  load(body: object, key: string): Promise<Job>;
  close(): Promise<void>;
}

/** The loader on the service kit, in-process, with a fresh SQLite job store (a new replica, as far as jobs go). */
export async function loaderApp(
  options: Omit<LoaderConfig, 'log'> & {
    readonly log?: Logger;
    readonly statePath?: string;
    /** More identities (`TOKEN` is `test`), and scopes for all of them. */
    readonly auth?: { readonly tokens?: ReadonlyArray<{ identity: string; token: string }>; readonly scopes?: ScopePolicy };
  },
): Promise<LoaderApp> {
  const log = options.log ?? pino({ level: 'silent' });
  const stateDir = options.statePath ? undefined : mkdtempSync(join(tmpdir(), 'dw-loader-jobs-'));
  const state: StateBackend = await openState({ spec: options.statePath ?? join(stateDir as string, 'jobs.sqlite') });
  const store = openJobStore(state);
  await store.migrate();
  const metrics = createMetrics({ service: 'loader' });
  const runner = new JobRunner({ service: 'loader', store, log, maxConcurrent: 4, metrics });
  await runner.start();
  const service = await createLoaderService({ ...options, log, metrics });
  const app = createApp({ module: service.module, runner, jobStore: store, tokens: new TokenSet([{ identity: 'test', token: TOKEN }, ...(options.auth?.tokens ?? [])]), ...(options.auth?.scopes ? { scopes: options.auth.scopes } : {}), log, metrics });
  const job = async (id: string) => (await request(app).get(`/v1/jobs/${id}`).set(AUTH).expect(200)).body as Job;
  const post = (body: object, key: string) => request(app).post('/v1/loads').set(AUTH).set('Idempotency-Key', key).send(body);
  return {
    app,
    service,
    post,
    job,
    wait: (id) => waitForJob(job, id, 60_000),
    async load(body, key) {
      const res = await post(body, key);
      if (res.status !== 202 && res.status !== 200) throw new Error(`POST /v1/loads answered ${res.status}: ${JSON.stringify(res.body)}`);
      return waitForJob(job, (res.body as Job).id, 60_000);
    },
    async close() {
      await runner.idle();
      runner.stop();
      await service.close();
      await state.close();
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
