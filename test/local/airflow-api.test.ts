/**
 * `local run` talks to Airflow's REST API for minutes at a time: a token that expires (3.x),
 * an api-server that restarts, or a busy metadata DB must not end the run's report. These
 * failures are hard to cause on demand in a real Airflow, so the API here is a small local
 * HTTP fake that answers as Airflow 3's api-server does (`/auth/token`, `/api/v2/...`); the
 * e2e suite drives the real one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AirflowApi, AirflowApiError } from '../../src/local/airflow-api.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let server: Server | undefined;

async function fakeAirflow(handler: Handler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const json = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};
const RUN = { dag_run_id: 'manual__1', state: 'running', logical_date: '2026-01-01T00:00:00Z' };

describe('AirflowApi', () => {
  it('fetches a new token when the first one expires (401), and goes on', async () => {
    let issued = 0;
    const url = await fakeAirflow((request, response) => {
      if (request.url === '/auth/token') return json(response, 201, { access_token: `token-${++issued}` });
      // The first token expires after one call.
      if (request.headers.authorization !== `Bearer token-${issued}` || (issued === 1 && request.url?.includes('runs-twice'))) return json(response, 401, { detail: 'expired' });
      json(response, 200, RUN);
    });
    const api = new AirflowApi(url, 3, 3, 1);
    expect((await api.dagRun('d', 'first')).state).toBe('running');
    expect((await api.dagRun('runs-twice', 'second')).state).toBe('running');
    expect(issued).toBe(2);
  });

  it('tries a repeatable call again after 503s and refused connections, up to its attempts', async () => {
    let calls = 0;
    const url = await fakeAirflow((_request, response) => {
      calls += 1;
      if (calls <= 2) return json(response, 503, { detail: 'database is locked' });
      json(response, 200, RUN);
    });
    const api = new AirflowApi(url, 2, 3, 1);
    expect((await api.dagRun('d', 'r')).runId).toBe('manual__1');
    expect(calls).toBe(3);

    calls = 0;
    const always = await fakeAirflow((_request, response) => void (calls++, json(response, 503, {})));
    await expect(new AirflowApi(always, 2, 3, 1).dagRun('d', 'r')).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(3);

    // Nothing listening: the connection is refused each time.
    await expect(new AirflowApi('http://127.0.0.1:9', 2, 2, 1).dagRun('d', 'r')).rejects.toThrow();
  });

  it('never repeats a trigger (it would start a second run), nor a call refused for good', async () => {
    let calls = 0;
    const url = await fakeAirflow((_request, response) => void (calls++, json(response, 503, {})));
    await expect(new AirflowApi(url, 2, 5, 1).trigger('d', { logicalDate: '2026-01-01T00:00:00Z', conf: {} })).rejects.toBeInstanceOf(AirflowApiError);
    expect(calls).toBe(1);

    calls = 0;
    const missing = await fakeAirflow((_request, response) => void (calls++, json(response, 400, { detail: 'bad' })));
    await expect(new AirflowApi(missing, 2, 5, 1).dagRun('d', 'r')).rejects.toMatchObject({ status: 400 });
    expect(calls).toBe(1);
  });
});

describe('local run', () => {
  it('follows a run at that logical date that is still going, and never clears it mid-way', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeStack } = await import('../../src/local/stack-state.js');
    const { stackState } = await import('./fixtures/stack.js');
    const { runPipeline } = await import('../../src/local/run.js');
    const calls: string[] = [];
    let polls = 0;
    const url = await fakeAirflow((request, response) => {
      calls.push(`${request.method} ${request.url?.split('?')[0]}`);
      if (request.url === '/auth/token') return json(response, 201, { access_token: 't' });
      if (request.url?.endsWith('/clearTaskInstances')) return json(response, 200, {});
      if (request.url?.includes('/dagRuns?')) return json(response, 200, { dag_runs: [RUN] });
      if (request.url?.endsWith('/taskInstances?limit=1000')) return json(response, 200, { task_instances: [] });
      if (request.url?.endsWith('/dagRuns/manual__1')) return json(response, 200, { ...RUN, state: ++polls > 1 ? 'success' : 'running' });
      json(response, 200, { dag_id: 'd' });
    });
    const dir = mkdtempSync(join(tmpdir(), 'dw-run-'));
    try {
      writeStack(
        dir,
        stackState(dir, {
          airflow: { version: '3.1', exact: '3.1.8', major: 3, venv: '', url, home: '', metadata: '' },
          processes: [{ name: 'scheduler', pid: process.pid, log: '', command: [], envFile: '' }],
          pipelines: { d: [] },
        }),
      );
      const lines: string[] = [];
      const report = await runPipeline({ stateDir: dir, dagId: 'd', date: '2026-01-01', conf: {}, timeoutSeconds: 30, progress: (line) => lines.push(line) });
      expect(report.state).toBe('success');
      expect(report.rerun).toBe(false);
      expect(calls.filter((c) => c.includes('clearTaskInstances') || c.startsWith('POST /api/v2/dags/d/dagRuns'))).toEqual([]);
      expect(lines.join('\n')).toContain('is still running: following it, not clearing it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
