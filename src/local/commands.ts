/** Running a child command to completion, with its output in a log file or passed through. */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Where stdout and stderr go; by default stderr passes through and stdout is returned. */
  readonly log?: string;
  /** Called with each line of stderr (progress), when no log is given. */
  readonly onLine?: (line: string) => void;
}

export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly tail: string,
  ) {
    super(`${command} exited ${exitCode ?? 'on a signal'}${tail ? `:\n${tail}` : ''}`);
    this.name = 'CommandFailed';
  }
}

/** Runs `command args`; resolves with its stdout (trimmed), rejects with the log's tail. */
export async function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  if (options.log) mkdirSync(dirname(options.log), { recursive: true });
  const logStream = options.log ? createWriteStream(options.log, { flags: 'a' }) : undefined;
  const child = spawn(command, [...args], { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderrTail = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    logStream?.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    logStream?.write(chunk);
    const text = chunk.toString();
    stderrTail = (stderrTail + text).slice(-4000);
    if (!logStream && options.onLine) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    }
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  await new Promise<void>((resolve) => (logStream ? logStream.end(resolve) : resolve()));
  if (exitCode !== 0) {
    const tail = options.log ? readFileSync(options.log, 'utf8').split('\n').slice(-30).join('\n') : stderrTail;
    throw new CommandFailed([command, ...args].join(' '), exitCode, tail.trim());
  }
  return stdout.trim();
}
