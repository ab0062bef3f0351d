import { vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The dagwright CLI run in this process, as `dagwright ARGS...` would run in the current
 * directory: its exit code and what it wrote to stdout and stderr. bin/dagwright.js, which
 * starts the same program in a process of its own, has its own tests (test/cli/bin.process.test.ts).
 */
export async function dagwright(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const status = await runCli(['node', 'dagwright', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
