/**
 * `dagwright local restart <process> [--kill]`: stops one process of the stack (SIGTERM with
 * its grace period, or SIGKILL, as a crash) and starts it again with the same command and
 * environment, then waits until it answers again.
 */
import { isAlive, restartProcess, stopProcess, waitFor } from './processes.js';
import { readStack, writeStack } from './stack-state.js';

export async function restart(stateDir: string, name: string, options: { kill: boolean; say: (line: string) => void }): Promise<void> {
  const stack = readStack(stateDir);
  const record = stack?.processes.find((p) => p.name === name);
  if (!stack || !record) {
    const names = stack?.processes.map((p) => p.name).join(', ') ?? 'none: no stack is running';
    throw new Error(`no process "${name}" in the local stack (${names})`);
  }
  if (options.kill) {
    try {
      process.kill(-record.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitFor(`${name} to die`, () => !isAlive(record.pid), 10_000, 50);
    options.say(`${name} (pid ${record.pid}) killed`);
  } else {
    options.say(`${name} (pid ${record.pid}) ${await stopProcess(record)}`);
  }
  const started = restartProcess(record);
  writeStack(stateDir, { ...stack, processes: stack.processes.map((p) => (p.name === name ? started : p)) });
  const url = (stack.services as Record<string, string | undefined>)[name];
  if (url !== undefined) {
    await waitFor(
      name,
      async () => {
        if (!isAlive(started.pid)) throw new Error(`${name} exited during start; see ${started.log}`);
        return fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      },
      60_000,
    );
  }
  options.say(`${name} started again (pid ${started.pid})`);
}
