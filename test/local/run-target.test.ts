/** `local run` and `local status` find the stack in a state folder: native (stack.json) or compose (compose-stack.json). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComposeStack } from '../../src/local/docker.js';
import { readRunTarget } from '../../src/local/run-target.js';
import { statusLines } from '../../src/local/status.js';
import { writeStack } from '../../src/local/stack-state.js';
import { stackState, temporaryDirs } from './fixtures/stack.js';

const dirs = temporaryDirs('dw-target-');
const tempDir = dirs.make;
afterEach(dirs.removeAll);

const TASKS = { orders_e2e: [{ taskId: 'pick', type: 'bookmark', bookmark: 'orders_e2e.pick' }] };
// Nothing listens on port 9: every health check fails at once.
const compose: ComposeStack = {
  project: 'dwtest',
  command: ['docker', 'compose'],
  files: ['docker-compose.yml'],
  envFile: '/x/compose.env',
  composeDir: '/x/compose',
  airflowUrl: 'http://127.0.0.1:9',
  services: { bookmarks: 'http://127.0.0.1:9', dq: 'http://127.0.0.1:9', loader: 'http://127.0.0.1:9' },
  s3Endpoint: 'http://127.0.0.1:9',
  warehouseUrl: 'postgres://dagwright:secret@127.0.0.1:9/analytics',
  stateUrl: 'postgres://airflow:airflow@127.0.0.1:9/dagwright',
  serviceToken: 'token',
  pipelines: TASKS,
};

describe('the stack in a state folder', () => {
  it('none: local run has nothing to talk to', async () => {
    const dir = tempDir();
    expect(readRunTarget(dir)).toBeUndefined();
    expect((await statusLines(dir)).running).toBe(false);
  });

  it('a native stack that up started', () => {
    const dir = tempDir();
    writeStack(
      dir,
      stackState(dir, {
        airflow: { version: '2.10', exact: '2.10.3', major: 2, venv: '', url: 'http://127.0.0.1:8080', home: '', metadata: '' },
        serviceToken: 'native-token',
        services: { bookmarks: 'http://127.0.0.1:8081', dq: '', loader: '' },
        processes: [{ name: 'scheduler', pid: process.pid, log: '', command: [], envFile: '' }],
        pipelines: TASKS,
      }),
    );
    expect(readRunTarget(dir)).toEqual({ kind: 'native', airflowUrl: 'http://127.0.0.1:8080', airflowMajor: 2, bookmarksUrl: 'http://127.0.0.1:8081', serviceToken: 'native-token', pipelines: TASKS });
  });

  it('a compose stack that up --docker started: Airflow 3, its services, its pipelines; status asks each part', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'compose-stack.json'), JSON.stringify(compose));
    expect(readRunTarget(dir)).toEqual({ kind: 'docker', airflowUrl: 'http://127.0.0.1:9', airflowMajor: 3, bookmarksUrl: 'http://127.0.0.1:9', serviceToken: 'token', pipelines: TASKS });
    const status = await statusLines(dir);
    expect(status.running).toBe(false);
    expect(status.lines[0]).toContain('compose stack from');
    expect(status.lines.join('\n')).toContain('analytics = postgres://127.0.0.1:9/analytics');
    expect(status.lines.join('\n')).not.toContain('secret');
    expect(status.lines.filter((l) => l.includes('DOWN'))).toHaveLength(4);
  });
});
