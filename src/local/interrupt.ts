/**
 * Ctrl-C (or SIGTERM) while `up` or `demo` runs stops the stack they are starting: its
 * processes run in sessions of their own, so the terminal's signal never reaches them.
 */
import { down } from './down.js';
import { refuseNewProcesses } from './processes.js';

const EXIT_STATUS: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** Until the returned function is called, an interrupt stops the stack in `stateDir` and exits. */
export function stopStackOnInterrupt(stateDir: string, say: (line: string) => void): () => void {
  let stopping = false;
  const handler = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stopping) {
      say(`${signal} again: leaving without waiting; \`dagwright local down --dir ${stateDir}\` stops what is left`);
      process.exit(EXIT_STATUS[signal]);
    }
    stopping = true;
    // Nothing more starts: `up` may still be between two steps.
    refuseNewProcesses(`interrupted by ${signal}`);
    say(`${signal}: stopping the local stack in ${stateDir} (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again leaves it as it is)`);
    down(stateDir, say)
      .catch((error: unknown) => say(`could not stop everything: ${(error as Error).message}`))
      .finally(() => process.exit(EXIT_STATUS[signal]));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
