/**
 * Real-process tests of `node main.js <service>`: start-up errors, serving,
 * SIGTERM with a job still running (it is handed back as Job.Interrupted and
 * the process exits 0), and a restart that still reports the jobs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeS3 } from './kit/testing/fake-s3.js';
import { buildServices, startService, type ServiceProcess } from './kit/testing/process.js';
import { parseArgs } from './main.js';

const TOKEN = 'process-test-token';
const dir = mkdtempSync(join(tmpdir(), 'dw-proc-'));
const baseEnv = { DAGWRIGHT_TOKEN: TOKEN, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

describe('parseArgs', () => {
  it.each([
    [['bookmarks'], { service: 'bookmarks' }],
    [['bookmarks', '--port', '9000', '--state', 'postgres://x/y'], { service: 'bookmarks', port: 9000, state: 'postgres://x/y' }],
    [['--port=0', 'dq', '--host', '127.0.0.1'], { service: 'dq', port: 0, host: '127.0.0.1' }],
  ])('%j', (argv, want) => {
    expect(parseArgs(argv)).toEqual(want);
  });

  it.each([[[]], [['bookmarks', '--port']], [['bookmarks', '--port', '99999']], [['bookmarks', '--nope']], [['bookmarks', 'extra']]])('rejects %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow(expect.objectContaining({ code: 'Serve.BadOption' }));
  });
});

describe('node main.js (real process)', () => {
  const running: ServiceProcess[] = [];
  afterEach(() => {
    for (const p of running.splice(0)) if (p.proc.exitCode === null) p.proc.kill('SIGKILL');
  });

  it.each([
    ['an unknown service', ['nope'], baseEnv, /Serve.UnknownService/],
    ['no tokens', ['bookmarks', '--port', '0'], {}, /Serve.NoTokens/],
  ])('refuses to start for %s, with exit code 2', (_name, args, env, message) => {
    const res = spawnSync(process.execPath, [buildServices(), ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
  });

  it('refuses to start on a state newer than the code (a downgrade), with exit code 2', () => {
    const state = join(dir, 'newer.sqlite');
    const db = new Database(state);
    db.exec(`CREATE TABLE dagwright_schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version))`);
    db.prepare(`INSERT INTO dagwright_schema_migrations VALUES ('jobs', 99, 'from the future', '2030-01-01T00:00:00.000Z')`).run();
    db.close();
    const res = spawnSync(process.execPath, [buildServices(), 'dq', '--port', '0', '--state', state], { env: { PATH: process.env.PATH, ...baseEnv }, encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/State\.SchemaNewerThanCode: the jobs state is at schema version 99/);
  });

  it.each(['dq', 'loader'])('serves %s from the same entry point, and stops on SIGTERM', async (service) => {
    const state = join(dir, `${service}.sqlite`);
    const env = { ...baseEnv, DAGWRIGHT_LOADER_DUCKDB: join(dir, `${service}-warehouse.duckdb`) };
    const proc = await startService([service, '--port', '0', '--host', '127.0.0.1', '--state', state], env);
    running.push(proc);
    expect(await (await fetch(`${proc.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const openapi = (await (await fetch(`${proc.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain(service === 'dq' ? '/v1/evaluations' : '/v1/loads');
    const unauthorised = await fetch(`${proc.url}/v1/jobs/nope`);
    expect(unauthorised.status).toBe(401);
    proc.proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });

  it('serves, and on SIGTERM hands back a running job, exits 0, and a restart still reports it', async () => {
    const s3 = await startFakeS3([], { hang: true }); // S3 that never answers: the begin job stays running
    const state = join(dir, 'sigterm.sqlite');
    const env = { ...baseEnv, DAGWRIGHT_S3_ENDPOINT: s3.url, DAGWRIGHT_SHUTDOWN_GRACE_MS: '300' };
    try {
      const a = await startService(['bookmarks', '--port', '0', '--host', '127.0.0.1', '--state', state], env);
      running.push(a);
      expect(await (await fetch(`${a.url}/healthz`)).json()).toEqual({ status: 'ok' });
      const posted = await fetch(`${a.url}/v1/bookmarks/orders/runs`, {
        method: 'POST',
        headers: { ...headers, 'Idempotency-Key': 'dag/begin/r1/-1' },
        body: JSON.stringify({ run_id: 'r1', source: 's3://data/events/' }),
      });
      expect(posted.status).toBe(202);
      const job = (await posted.json()) as { id: string };
      a.proc.kill('SIGTERM');
      expect(await a.exited).toEqual({ code: 0, signal: null });
      expect(a.stdout()).toContain('"handed_back":1');
      expect(a.stdout()).toContain('"msg":"stopped"');
      expect(a.stdout() + a.stderr()).not.toContain(TOKEN);

      const b = await startService(['bookmarks', '--port', '0', '--host', '127.0.0.1', '--state', state], env);
      running.push(b);
      const after = (await (await fetch(`${b.url}/v1/jobs/${job.id}`, { headers })).json()) as { status: string; error: { code: string; retryable: boolean } };
      expect(after).toMatchObject({ status: 'failed', error: { code: 'Job.Interrupted', retryable: true } });
      const metrics = await (await fetch(`${b.url}/metrics`)).text();
      expect(metrics).toContain('dagwright_bookmarks_s3_list_calls_total');
      expect(metrics).toContain('dagwright_s3_list_calls_total');
      b.proc.kill('SIGTERM');
      expect((await b.exited).code).toBe(0);
    } finally {
      await s3.close();
    }
  });
});
