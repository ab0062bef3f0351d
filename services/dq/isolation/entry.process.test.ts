/**
 * dq's parse worker and evaluation child, started from source by a process that has no
 * "@dagwright/source" condition of its own (bin/dagwright.js's tsx fallback adds it with a
 * resolve hook, which a worker thread does not inherit): each must still load
 * @dagwright/dqdl from its sources, never a build that may be older or missing.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers/paths.js';

const SOURCE_INDEX = pathToFileURL(join(REPO_ROOT, 'packages', 'dqdl', 'src', 'index.ts')).href;

it('a worker and a child started with the entry’s options resolve @dagwright/dqdl to its sources', () => {
  const script = join(mkdtempSync(join(tmpdir(), 'dw-entry-')), 'probe.mts');
  writeFileSync(
    script,
    `import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { entryOf } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'services', 'dq', 'isolation', 'entry.ts')).href)};
const probe = "import('node:worker_threads').then(({ parentPort }) => parentPort.postMessage(import.meta.resolve('@dagwright/dqdl')))";
const entry = entryOf('parse-worker');
const worker = new Worker(probe, { eval: true, ...(entry.workerExecArgv ? { execArgv: [...entry.workerExecArgv] } : {}) });
const fromWorker = await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
await worker.terminate();
const child = fork('--input-type=module', [], { execArgv: [...entry.execArgv, '-e', "console.log(import.meta.resolve('@dagwright/dqdl'))"], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
let fromChild = '';
child.stdout.on('data', (c) => (fromChild += c));
await new Promise((resolve) => child.once('exit', resolve));
console.log(JSON.stringify({ fromWorker, fromChild: fromChild.trim() }));
`,
  );
  // The parent: tsx, and no --conditions (as the CLI's fallback runs); with a flag a worker
  // refuses when given explicitly (the service may be started with it).
  const out = execFileSync(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', script], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const { fromWorker, fromChild } = JSON.parse(out.trim().split('\n').pop()!) as { fromWorker: string; fromChild: string };
  expect(fromWorker).toBe(SOURCE_INDEX);
  expect(fromChild).toBe(SOURCE_INDEX);
});
