/** The dagwright command line: its commands and options. */
import { Command, Option } from 'commander';
import { AIRFLOW_TARGETS } from '../model/airflow-target.js';
import { generateCommand } from './commands/generate.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { registerExtraCommands } from './extra-commands.js';

const versions = AIRFLOW_TARGETS.map((t) => t.version).join(', ');
const airflowOption = () => new Option('--airflow <version>', `target Airflow version (${versions}); overrides the spec's own`);

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('dagwright')
    .description('YAML pipeline specs to static, resilient Apache Airflow DAGs for Amazon MWAA')
    .version('0.1.0')
    .exitOverride();

  program
    .command('validate')
    .description('check specs and print every problem as file:line:col')
    .argument('<paths...>', 'spec files or folders')
    .addOption(airflowOption())
    .action((paths: string[], options: { airflow?: string }) => setExitCode(validateCommand(paths, options)));

  program
    .command('generate')
    .description('write one Airflow DAG file per valid spec')
    .argument('<paths...>', 'spec files or folders')
    .requiredOption('-o, --output <dir>', 'the folder for the DAG files')
    .addOption(airflowOption())
    .option('--check', 'write nothing; exit 3 when the files on disk are missing or stale')
    .action((paths: string[], options: { output: string; airflow?: string; check?: boolean }) => setExitCode(generateCommand(paths, options)));

  program
    .command('schema')
    .description('print the JSON Schema of specs (for editors: # yaml-language-server: $schema=...)')
    .option('--markdown', 'print the spec reference (docs/spec.md) instead')
    .action((options: { markdown?: boolean }) => setExitCode(schemaCommand(options)));

  registerExtraCommands(program, setExitCode);
  return program;
}
