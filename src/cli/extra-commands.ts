import type { Command } from 'commander';
import { registerDqCommands } from './commands/dq.js';
import { registerLocalCommands } from './commands/local.js';
import { EXIT } from './exit-codes.js';

/** Commands backed by the services and the DQDL engine, loaded only when used. */
export function registerExtraCommands(program: Command, setExitCode: (code: number) => void): void {
  // The services' own parser reads the arguments (services/main.ts parseArgs), so `dagwright
  // serve` and `node dist/services/main.js` take the same options and fail the same way.
  program
    .command('serve')
    .description('run a dagwright service: bookmarks, dq or loader')
    .usage('<bookmarks|dq|loader> [--port N] [--state <sqlite-path|postgres-url>] [--host H]')
    .argument('[args...]', '<bookmarks|dq|loader> [--port N (8080; 0 picks a free port)] [--state <sqlite-path|postgres-url>] [--host H (127.0.0.1)]')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (args: string[]) => {
      const entry = '../../services/main.js';
      const { serveCli } = (await import(entry)) as { serveCli: (argv: readonly string[], defaults: { host: string }) => Promise<number> };
      const code = await serveCli(args, { host: '127.0.0.1' });
      setExitCode(code === 0 ? EXIT.ok : EXIT.usage);
    });

  registerDqCommands(program, setExitCode);
  registerLocalCommands(program, setExitCode);
}
