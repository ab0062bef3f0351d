/**
 * Denial of service: three expensive requests at once (a regex that backtracks
 * exponentially in JavaScript, a CustomSql that runs for ever, and four 253 KB rulesets of
 * 23,000 broken rules), and meanwhile `/healthz` answers within 100 ms at the 99th
 * percentile (beyond the latency the machine itself adds, measured at the same time on a
 * trivial server in another process) and an ordinary evaluation completes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, FOREVER, startTestApp, type TestApp } from './testing/dq-app.js';

const root = mkdtempSync(join(tmpdir(), 'dw-dq-dos-'));
const wide = join(root, 'wide.csv');
const rows = join(root, 'rows.csv');
let t: TestApp;
let server: Server;
let base: string;
let control: ChildProcess;
let controlUrl: string;

beforeAll(async () => {
  writeFileSync(wide, `${'a'.repeat(34)},id\nx,1\n`);
  writeFileSync(rows, `id\n${Array.from({ length: 1000 }, (_, i) => i).join('\n')}\n`);
  t = await startTestApp({ DAGWRIGHT_DQ_LOCAL_ROOTS: root, DAGWRIGHT_DQ_TIME_LIMIT_SECONDS: '120', DAGWRIGHT_DQ_THREADS: '1' });
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  control = spawn(process.execPath, ['-e', "const s = require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(control.stdout!, 'data')) as [Buffer];
  controlUrl = `http://127.0.0.1:${port.toString().trim()}`;
});
afterAll(async () => {
  control.kill();
  server.close();
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const send = (method: string, path: string, body: object, key?: string) =>
  fetch(`${base}${path}`, { method, headers: { ...AUTH, 'content-type': 'application/json', ...(key !== undefined ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });

async function job(id: string): Promise<{ status: string; error?: { code: string }; result?: { outcome: string } }> {
  for (;;) {
    const j = (await (await fetch(`${base}/v1/jobs/${id}`, { headers: AUTH })).json()) as { status: string };
    if (j.status === 'succeeded' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function evaluation(key: string, body: object) {
  const post = await send('POST', '/v1/evaluations', body, key);
  expect(post.status).toBe(202);
  return job(((await post.json()) as { id: string }).id);
}

/** Probes `<url>/healthz` every 20 ms until `stop()`; `latencies` are in ms. */
function probeHealth(url = base): { latencies: number[]; stop(): Promise<void> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    latencies,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const p99 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.99) - 1)] ?? Infinity;

const manyBad = `Rules = [\n${Array.from({ length: 23_000 }, () => '  Foo "x"').join(',\n')}\n]`;

describe('denial of service', () => {
  it('/healthz stays fast and a normal evaluation completes while the service is under attack', async () => {
    // Warm up the client and the routes, so the first probe does not time their loading.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await send('PUT', '/v1/rulesets/small', { text: 'Rules = [ RowCount > 0 ]' })).status).toBe(200);
    // The machine's own noise (CI shares it): a trivial server in another process, probed
    // the same way at the same time. It is slow only when the machine is.
    const control = probeHealth(controlUrl);
    const probe = probeHealth();
    const regex = evaluation('dos/regex', { dataset: wide, ruleset: 'Rules = [ ColumnNamesMatchPattern "^(\\\\w+)+!$" ]', on_violation: 'warn' });
    const forever = evaluation('dos/forever', { dataset: rows, ruleset: `Rules = [ ${FOREVER} ]`, on_violation: 'warn', limits: { time_seconds: 15 } });
    const huge = Promise.all([1, 2, 3, 4].map(() => send('PUT', '/v1/rulesets/huge', { text: manyBad }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code: string; errors: unknown[] } }))));
    await new Promise((r) => setTimeout(r, 2_000));
    const normal = await evaluation('dos/normal', { dataset: rows, ruleset: 'Rules = [ RowCount = 1000, IsComplete "id" ]', on_violation: 'fail' });

    const [regexJob, foreverJob, hugeAnswers] = await Promise.all([regex, forever, huge]);
    await Promise.all([probe.stop(), control.stop()]);

    expect(normal).toMatchObject({ status: 'succeeded', result: { outcome: 'passed' } });
    expect(regexJob).toMatchObject({ status: 'succeeded', result: { outcome: 'failed' } });
    expect(foreverJob).toMatchObject({ status: 'failed', error: { code: 'DQ.TimeLimitExceeded' } });
    for (const a of hugeAnswers) expect(a).toMatchObject({ status: 422, body: { code: 'DQ.InvalidRuleset', errors: expect.any(Array) } });

    // Under attack /healthz answers within 100 ms at the 99th percentile, beyond what the
    // machine itself adds (the control's p99: a few ms on a quiet machine, more on a loaded
    // CI host).
    const noise = p99(control.latencies);
    const underAttack = p99(probe.latencies);
    expect(probe.latencies.length).toBeGreaterThan(100);
    expect(underAttack, `p99 ${Math.round(underAttack)} ms under attack (${probe.latencies.length} probes); the control's p99 ${Math.round(noise)} ms`).toBeLessThan(100 + noise);
  }, 120_000);
});
