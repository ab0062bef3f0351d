/**
 * A real loader process for the crash tests (not the product's entry point,
 * which is `dagwright serve loader`): the loader on the service kit, on
 * 127.0.0.1 and a free port, job state in LOADER_TEST_STATE (SQLite),
 * warehouses from the environment (`DAGWRIGHT_WAREHOUSE_DEFAULT`, …).
 *
 * With LOADER_TEST_PAUSE_AT=copying|merged the load stops at that checkpoint
 * (the transaction open, the COPY half sent or every statement run) and
 * prints `PAUSED <point>`, so the test can kill the process there.
 */
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../../kit/app.js';
import { openJobStore } from '../../kit/jobs/open-job-store.js';
import { JobRunner } from '../../kit/jobs/runner.js';
import { TokenSet } from '../../kit/middleware/auth/tokens.js';
import { openState } from '../../kit/state/open-state.js';
import { createLoaderService } from '../index.js';
import type { LoadCheckpoint } from '../domain/hooks.js';

const statePath = process.env.LOADER_TEST_STATE;
const token = process.env.LOADER_TEST_TOKEN;
if (!statePath || !token) throw new Error('LOADER_TEST_STATE and LOADER_TEST_TOKEN are required');
const pauseAt = process.env.LOADER_TEST_PAUSE_AT as LoadCheckpoint | undefined;

const log = pino({ level: process.env.LOADER_TEST_LOG ?? 'warn', base: { service: 'loader' } }, pino.destination(2));
const state = await openState({ spec: statePath });
const store = openJobStore(state);
await store.migrate();
const runner = new JobRunner({ service: 'loader', store, log });
await runner.start();
const loader = await createLoaderService({
  log,
  // Scratch space beside the job state, so the test removes it even after a SIGKILL.
  tempDir: join(dirname(statePath), 'tmp'),
  hooks: {
    checkpoint(point) {
      if (point !== pauseAt) return;
      process.stdout.write(`PAUSED ${point}\n`);
      return new Promise<void>(() => undefined);
    },
  },
});
const app = createApp({ module: loader.module, runner, jobStore: store, tokens: new TokenSet([{ identity: 'crash-test', token }]), log });
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
