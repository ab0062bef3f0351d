import type { Command } from 'commander';
import { registerDqCommands } from './commands/dq.js';
import { registerLocalCommands } from './commands/local.js';
import { EXIT } from './exit-codes.js';

/** Commands backed by the services and the DQDL engine, loaded only when used. */
export function registerExtraCommands(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('serve')
    .description('run a dagwright service: bookmarks, dq or loader')
    .argument('<service>', 'bookmarks | dq | loader')
    .option('--port <n>', 'the port to listen on', (v) => Number(v))
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--state <store>', 'a SQLite file path or a postgres:// URL for job and service state')
    .action(async (service: string, options: { port?: number; host?: string; state?: string }) => {
      const entry = '../../services/main.js';
      const { serve } = (await import(entry)) as { serve: (o: Record<string, unknown>) => Promise<void> };
      await serve({ service, ...options });
      setExitCode(EXIT.ok);
    });

  registerDqCommands(program, setExitCode);
  registerLocalCommands(program, setExitCode);
}
