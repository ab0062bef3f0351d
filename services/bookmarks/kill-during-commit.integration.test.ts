/**
 * A process killed (SIGKILL) in the middle of a commit leaves the bookmark
 * either before or after the commit, never in between, on both stores.
 *
 * The service runs as a real process with a test-only fault
 * (DAGWRIGHT_FAULT_PAUSE_IN_COMMIT_MS) that stops it inside the commit
 * transaction, after the bookmark row is written and before the run and
 * history rows are. The test kills it there, restarts it on the same state,
 * and checks that the commit did not happen at all; then that a retry (same
 * Idempotency-Key) commits whole. A second round kills at random moments
 * without the fault and checks "before or after" each time.
 * S3 is a loopback fake answering ListObjectsV2 (the moto tests cover S3).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3 } from '../kit/testing/fake-s3.js';
import { testBackends } from '../kit/testing/backends.js';
import { startService, type ServiceProcess } from '../kit/testing/process.js';

const TOKEN = 'kill-test-token';
const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-kill-')) });

interface View {
  bookmark: { inflight_run_id: string | null; last_committed_run_id: string | null; state: { high: string | null; band: unknown[] } };
  run: { status: string; state_after: unknown };
  committedInHistory: number;
}

async function call(url: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
  return { status: res.status, body: await res.json() };
}

async function waitJob(url: string, id: string): Promise<any> {
  for (let i = 0; i < 500; i++) {
    const { body } = await call(url, `/v1/jobs/${id}`);
    if (body.status === 'succeeded' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${id} did not finish`);
}

async function view(url: string, runId: string): Promise<View> {
  const bookmark = (await call(url, '/v1/bookmarks/orders')).body;
  const run = (await call(url, `/v1/bookmarks/orders/runs/${runId}`)).body;
  const history = (await call(url, '/v1/bookmarks/orders/history?action=run.committed')).body.history as Array<{ run_id: string }>;
  return { bookmark, run, committedInHistory: history.filter((h) => h.run_id === runId).length };
}

/** Before: in flight, marks untouched. After: committed whole. Anything else is "in between". */
function classify(v: View, runId: string, before: View['bookmark']['state']): 'before' | 'after' | 'in between' {
  if (v.bookmark.inflight_run_id === runId && v.run.status === 'begun' && v.run.state_after === null && v.committedInHistory === 0 && JSON.stringify(v.bookmark.state) === JSON.stringify(before)) {
    return 'before';
  }
  if (v.bookmark.inflight_run_id === null && v.bookmark.last_committed_run_id === runId && v.run.status === 'committed' && v.committedInHistory === 1 && JSON.stringify(v.run.state_after) === JSON.stringify(v.bookmark.state) && v.bookmark.state.high !== before.high) {
    return 'after';
  }
  return 'in between';
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(`kill during commit (${backend.name})`, () => {
    let s3: Awaited<ReturnType<typeof startFakeS3>>;
    let spec: string;
    const procs: ServiceProcess[] = [];

    beforeAll(async () => {
      s3 = await startFakeS3([
        { key: 'events/a.json', etag: 'e1', size: 10, lastModified: '2026-01-01T00:00:00.000Z' },
        { key: 'events/b.json', etag: 'e2', size: 20, lastModified: '2026-01-01T00:05:00.000Z' },
      ]);
      const state = await backend.open();
      await state.close();
      spec = backend.lastSpec();
    });
    afterAll(async () => {
      for (const p of procs) if (p.proc.exitCode === null) p.proc.kill('SIGKILL');
      await s3?.close();
      await backend.dispose();
    });

    const env = (extra: Record<string, string> = {}) => ({
      DAGWRIGHT_TOKEN: TOKEN,
      DAGWRIGHT_S3_ENDPOINT: s3.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      DAGWRIGHT_JOB_LEASE_MS: '1000',
      ...extra,
    });
    const start = async (extra: Record<string, string> = {}) => {
      const p = await startService(['bookmarks', '--port', '0', '--host', '127.0.0.1', '--state', spec], env(extra), { faults: true });
      procs.push(p);
      return p;
    };
    const post = (url: string, path: string, key: string, body: object) =>
      call(url, path, { method: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify(body) });

    it('killed inside the commit transaction: the bookmark is as before; a retry commits whole', async () => {
      const a = await start({ DAGWRIGHT_FAULT_PAUSE_IN_COMMIT_MS: '60000' });
      const begun = await post(a.url, '/v1/bookmarks/orders/runs', 'begin-r1', { run_id: 'r1', source: 's3://data/events/' });
      expect((await waitJob(a.url, begun.body.id)).result.batch.objects).toHaveLength(2);
      const before = await view(a.url, 'r1');
      expect(classify(before, 'r1', before.bookmark.state)).toBe('before');

      const commit = await post(a.url, '/v1/bookmarks/orders/runs/r1/commit', 'commit-r1', {});
      expect(commit.status).toBe(202);
      await a.waitFor(/fault: paused inside commit/);
      a.proc.kill('SIGKILL');
      expect((await a.exited).signal).toBe('SIGKILL');

      const b = await start();
      const afterKill = await view(b.url, 'r1');
      expect(classify(afterKill, 'r1', before.bookmark.state)).toBe('before');
      // The interrupted commit job is reported failed and retryable (after its lease).
      await new Promise((r) => setTimeout(r, 1100));
      expect((await call(b.url, `/v1/jobs/${commit.body.id}`)).body).toMatchObject({ status: 'failed', error: { code: 'Job.Interrupted', retryable: true } });

      const retry = await post(b.url, '/v1/bookmarks/orders/runs/r1/commit', 'commit-r1', {});
      expect(retry.status).toBe(202);
      expect(retry.body.attempt).toBe(2);
      expect((await waitJob(b.url, retry.body.id)).status).toBe('succeeded');
      expect(classify(await view(b.url, 'r1'), 'r1', before.bookmark.state)).toBe('after');
      b.proc.kill('SIGTERM');
      await b.exited;
    });

    it('killed at random moments around a commit: always before or after, never in between', async () => {
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++) {
        const runId = `k${i}`;
        const p = await start();
        // A fresh bookmark state to commit: reset, then begin this run.
        await post(p.url, '/v1/bookmarks/orders/reset', `reset-${i}`, {});
        const begun = await post(p.url, '/v1/bookmarks/orders/runs', `begin-${runId}`, { run_id: runId, source: 's3://data/events/' });
        await waitJob(p.url, begun.body.id);
        const before = (await view(p.url, runId)).bookmark.state;
        void post(p.url, `/v1/bookmarks/orders/runs/${runId}/commit`, `commit-${runId}`, {}).catch(() => undefined);
        await new Promise((r) => setTimeout(r, [0, 3, 8, 15][i]));
        p.proc.kill('SIGKILL');
        await p.exited;
        const q = await start();
        const outcome = classify(await view(q.url, runId), runId, before);
        outcomes.push(outcome);
        q.proc.kill('SIGTERM');
        await q.exited;
      }
      expect(outcomes.filter((o) => o === 'in between')).toEqual([]);
    });
  });
}
