/** The dagwright command line: its commands and options. */
import { Command, Option } from 'commander';
import { AIRFLOW_TARGETS } from '../model/airflow-target.js';
import { deployCommand, type DeployCommandOptions } from './commands/deploy.js';
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

  program
    .command('deploy')
    .description("publish DAGs (and requirements.txt, plugins.zip) to an MWAA environment's bucket and check the result")
    .argument('<dags-dir>', 'the folder of generated DAG files')
    .requiredOption('--bucket <name>', "the environment's S3 bucket")
    .option('--environment <name>', 'the MWAA environment to point at the new requirements and plugins')
    .option('--requirements <file>', 'a requirements.txt to publish')
    .option('--plugins', 'publish plugins.zip holding the dagwright_airflow operators')
    .option('--dags-prefix <prefix>', 'the DAG folder in the bucket', 'dags')
    .option('--region <region>', 'the AWS region')
    .option('--endpoint-url <url>', 'an S3/MWAA endpoint (a local emulator)')
    .action(async (dagsDir: string, options: DeployCommandOptions) => setExitCode(await deployCommand(dagsDir, options)));

  registerExtraCommands(program, setExitCode);
  return program;
}
