/** `dagwright local down`: stops what `up` started (its process groups, its moto and PostgreSQL), and nothing else. */
import { join } from 'node:path';
import { runCommand } from './commands.js';
import { stopProcess } from './processes.js';
import { REPO_ROOT } from './repo-root.js';
import { readStack, writeStack } from './stack-state.js';

const SERVICE_NAMES: ReadonlySet<string> = new Set(['bookmarks', 'dq', 'loader']);

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

export async function down(stateDir: string, say: (line: string) => void): Promise<boolean> {
  const stack = readStack(stateDir);
  if (!stack) {
    say(`no local stack in ${stateDir}`);
    return false;
  }
  // Airflow first, so no task calls a service that is already gone; then the services.
  const [services, airflow] = partition(stack.processes, (p) => SERVICE_NAMES.has(p.name));
  for (const wave of [airflow, services]) {
    await Promise.all(
      wave.map(async (p) => {
        const how = await stopProcess(p);
        if (how !== 'gone') say(`${p.name} (pid ${p.pid}) ${how}`);
      }),
    );
  }
  await runCommand('bash', [join(REPO_ROOT, 'scripts', 'moto.sh'), 'stop'], { env: { ...process.env, DAGWRIGHT_RUNTIME: stack.moto.runtime } }).catch(() => undefined);
  if (stack.postgres) {
    await runCommand('bash', [join(REPO_ROOT, 'scripts', 'postgres.sh'), 'stop'], { env: { ...process.env, DAGWRIGHT_RUNTIME: stack.postgres.runtime } }).catch(() => undefined);
  }
  writeStack(stateDir, { ...stack, processes: [], postgres: undefined });
  say('local stack stopped; its state and logs stay in ' + stateDir);
  return true;
}
