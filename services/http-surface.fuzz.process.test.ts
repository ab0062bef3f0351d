/**
 * A standing fuzz test of the HTTP surface of each service (issue 11): random JSON, paths
 * and headers against the operations of its OpenAPI document, over a real socket, for a
 * bounded time. No response may be a 5xx other than a 503 with Retry-After, and the
 * service must still answer afterwards. The seed is printed on failure; replay it with
 * DAGWRIGHT_FUZZ_SEED=<seed>. DAGWRIGHT_FUZZ_MS sets the time budget per service (20 s).
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookmarksService } from './bookmarks/index.js';
import { MemoryBucket } from './bookmarks/testing/memory-bucket.js';
import { startTestApp } from './dq/testing/dq-app.js';
import { createApp } from './kit/app.js';
import { openJobStore } from './kit/jobs/open-job-store.js';
import { JobRunner } from './kit/jobs/runner.js';
import { TokenSet } from './kit/middleware/auth/tokens.js';
import { createMetrics } from './kit/ops/metrics.js';
import { openState } from './kit/state/open-state.js';
import { acceptable, requestArb, send, type FuzzRequest, type FuzzResponse } from './kit/testing/http-fuzz.js';
import { loaderApp, TOKEN as LOADER_TOKEN } from './loader/testing/loader-app.js';
import { MemoryObjects } from './loader/testing/memory-objects.js';

// No request may leave the machine: S3 points at a closed local port, and the SDK never asks for instance credentials.
process.env['AWS_ACCESS_KEY_ID'] ??= 'testing';
process.env['AWS_SECRET_ACCESS_KEY'] ??= 'testing';
process.env['AWS_REGION'] ??= 'us-east-1';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
const NOWHERE = 'http://127.0.0.1:9';

const BUDGET_MS = Number(process.env['DAGWRIGHT_FUZZ_MS'] ?? 20_000);
const SEED = Number(process.env['DAGWRIGHT_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

interface Started {
  readonly app: Express;
  readonly token: string;
  close(): Promise<void>;
}

async function bookmarks(): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'dw-fuzz-bm-'));
  const state = await openState({ spec: join(dir, 'state.sqlite') });
  const metrics = createMetrics({ service: 'bookmarks' });
  const bucket = new MemoryBucket('data');
  const bm = await createBookmarksService({ state, metrics, env: {}, lister: bucket });
  const jobStore = openJobStore(state);
  await jobStore.migrate();
  const log = pino({ level: 'silent' });
  const runner = new JobRunner({ service: 'bookmarks', store: jobStore, log });
  await runner.start();
  const app = createApp({ module: bm.module, runner, jobStore, tokens: new TokenSet([{ identity: 'fuzz', token: 'fuzz-token-123' }]), log, metrics });
  return {
    app,
    token: 'fuzz-token-123',
    async close() {
      await runner.idle();
      runner.stop();
      await bm.close();
      await state.close();
    },
  };
}

async function dq(): Promise<Started> {
  const t = await startTestApp({ DAGWRIGHT_S3_ENDPOINT: NOWHERE, DAGWRIGHT_DQ_DEFAULT_BUCKET: 'data', AWS_REGION: 'us-east-1' });
  return { app: t.app, token: 'dq-test-token-1', close: () => t.close() };
}

async function loader(): Promise<Started> {
  const l = await loaderApp({ warehouses: new Map([['default', { type: 'duckdb', path: ':memory:' }]]), objects: new MemoryObjects() });
  return { app: l.app, token: LOADER_TOKEN, close: () => l.close() };
}

function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    });
  });
}

const describeResponse = (req: FuzzRequest, res: FuzzResponse) =>
  `${req.method} ${req.path.slice(0, 200)} [${req.tags.join(', ')}] headers=${JSON.stringify(req.headers).slice(0, 300)} body=${(req.body ?? '').slice(0, 200)} → ${res.status} ${res.body.slice(0, 300)}`;

for (const [name, start] of [
  ['bookmarks', bookmarks],
  ['dq', dq],
  ['loader', loader],
] as const) {
  describe(`HTTP fuzz: ${name}`, () => {
    let svc: Started;
    let server: Server;
    let url: string;
    beforeAll(async () => {
      svc = await start();
      ({ server, url } = await listen(svc.app));
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      await svc?.close();
    });

    it(`answers random requests with no 5xx but a 503 with Retry-After, and stays up (seed ${SEED})`, { timeout: BUDGET_MS + 60_000 }, async () => {
      const openapi = (await send(url, { method: 'GET', path: '/openapi.json', headers: {}, body: undefined, tags: [] })).body;
      const property = fc.asyncProperty(requestArb({ token: svc.token, openapi: JSON.parse(openapi) as { paths: Record<string, Record<string, unknown>> } }), async (req) => {
        const res = await send(url, req);
        if (acceptable(res)) return;
        throw new Error(describeResponse(req, res));
      });
      const started = Date.now();
      const details = await fc.check(property, { seed: SEED, numRuns: 100_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false });
      const ran = Date.now() - started;
      console.info(`[fuzz ${name}] ${details.numRuns} requests in ${ran} ms (seed ${SEED})`);
      if (details.failed) {
        throw new Error(`fuzz of ${name} failed after ${details.numRuns} runs (seed ${SEED}, path ${details.counterexamplePath}; replay with DAGWRIGHT_FUZZ_SEED=${SEED}):\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
      }
      expect(details.numRuns).toBeGreaterThan(50);
      expect(ran).toBeLessThan(BUDGET_MS + 30_000);
      // Still up: liveness, and an authenticated read.
      expect((await send(url, { method: 'GET', path: '/healthz', headers: {}, body: undefined, tags: [] })).status).toBe(200);
      expect((await send(url, { method: 'GET', path: '/v1/jobs/nope', headers: { Authorization: `Bearer ${svc.token}` }, body: undefined, tags: [] })).status).toBe(404);
    });
  });
}
