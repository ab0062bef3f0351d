/**
 * One load through the real loader (the service on the kit, over HTTP), in a
 * process of its own so that its peak memory is the loader's alone. Prints one
 * JSON line: the job, its wall time, and the peak RSS.
 *
 *   LOAD_BODY='{"batch": …}' DAGWRIGHT_WAREHOUSE_BENCH=postgres://… node --import tsx bench/load/loader-child.ts
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../../services/kit/app.js';
import { openJobStore } from '../../services/kit/jobs/open-job-store.js';
import { JobRunner } from '../../services/kit/jobs/runner.js';
import type { Job } from '../../services/kit/jobs/types.js';
import { TokenSet } from '../../services/kit/middleware/auth/tokens.js';
import { openState } from '../../services/kit/state/open-state.js';
import { createLoaderService } from '../../services/loader/index.js';

const body = process.env.LOAD_BODY;
if (!body) throw new Error('LOAD_BODY is required');
const log = pino({ level: 'info' }, pino.destination(2));
const state = await openState({ spec: join(mkdtempSync(join(tmpdir(), 'dw-bench-loader-')), 'jobs.sqlite') });
const store = openJobStore(state);
await store.migrate();
const runner = new JobRunner({ service: 'loader', store, log });
await runner.start();
const loader = await createLoaderService({ log });
const token = 'bench-token-123';
const app = createApp({ module: loader.module, runner, jobStore: store, tokens: new TokenSet([{ identity: 'bench', token }]), log });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = (server.address() as { port: number }).port;
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `bench/${Date.now()}` };

let peak = 0;
const sample = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  peak = Math.max(peak, m ? Number(m[1]) * 1024 : process.memoryUsage().rss);
};
const baseline = process.memoryUsage().rss;
const started = performance.now();
const posted = (await (await fetch(`http://127.0.0.1:${port}/v1/loads`, { method: 'POST', headers, body })).json()) as Job;
let job = posted;
while (job.status !== 'succeeded' && job.status !== 'failed') {
  await new Promise((r) => setTimeout(r, 50));
  job = (await (await fetch(`http://127.0.0.1:${port}/v1/jobs/${posted.id}`, { headers })).json()) as Job;
}
const wallMs = performance.now() - started;
sample();
process.stdout.write(`${JSON.stringify({ job, wall_ms: Math.round(wallMs), peak_rss: peak, baseline_rss: baseline })}\n`);
server.close();
await runner.drain(1000);
await loader.close();
await state.close();
process.exit(0);
