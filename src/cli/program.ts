/** The dagwright command line: its commands and options. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { AIRFLOW_TARGETS } from '../model/airflow-target.js';
import { deployCommand, type DeployCommandOptions } from './commands/deploy.js';
import { generateCommand } from './commands/generate.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { registerExtraCommands } from './extra-commands.js';

const versions = AIRFLOW_TARGETS.map((t) => t.version).join(', ');
const airflowOption = () => new Option('--airflow <version>', `target Airflow version (${versions}; MWAA's 2.10.3 means 2.10); overrides the spec's own`).argParser(airflowVersion);

/** `--airflow`: a version dagwright targets, given as major.minor or as MWAA names it (major.minor.patch). */
export function airflowVersion(value: string): string {
  const minor = /^(\d+\.\d+)(\.\d+)?$/.exec(value.trim())?.[1];
  if (minor === undefined || !AIRFLOW_TARGETS.some((t) => t.version === minor)) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a version dagwright targets: choose one of ${versions}`);
  }
  return minor;
}

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
    .action(async (paths: string[], options: { airflow?: string }) => setExitCode(await validateCommand(paths, options)));

  program
    .command('generate')
    .description('write one Airflow DAG file per valid spec')
    .argument('<paths...>', 'spec files or folders')
    .requiredOption('-o, --output <dir>', 'the folder for the DAG files')
    .addOption(airflowOption())
    .option('--check', 'write nothing; exit 3 when the files on disk are missing or stale')
    .action(async (paths: string[], options: { output: string; airflow?: string; check?: boolean }) => setExitCode(await generateCommand(paths, options)));

  program
    .command('schema')
    .description('print the JSON Schema of specs (for editors: # yaml-language-server: $schema=...)')
    .option('--markdown', 'print the spec reference (docs/spec.md) instead')
    .action((options: { markdown?: boolean }) => setExitCode(schemaCommand(options)));

  program
    .command('deploy')
    .description(
      'deploy to an MWAA environment (--environment): read it, check, plan, confirm, apply in a safe order, record; or, with --bucket alone, only upload DAGs (and requirements.txt, plugins.zip) to a bucket',
    )
    .argument('[dags-dir]', 'the folder of generated DAG files (not needed with --status or --rollback)')
    .option('--environment <name>', 'the MWAA environment to deploy to')
    .option('--region <region>', 'the AWS region')
    .option('--plan', 'print the plan and change nothing')
    .option('--yes', 'deploy without asking for confirmation (needed when not run from a terminal)')
    .option('--no-wait', 'return once the environment update has started (the DAG files then go up on the next deploy)')
    .option('--rollback', "restore the versions from before the environment's latest deploy record")
    .option('--status', 'show the environment, its last update and its latest deploy record')
    .option('--requirements <file>', 'a requirements.txt to publish')
    .option('--startup-script <file>', 'a startup script to publish (with --environment)')
    .option('--poll-seconds <n>', 'seconds between two status reads while waiting for an update', '30')
    .option('--skip-checks', 'deploy without the checks (freshness, requirements.txt, imports in the local Airflow venv); says what it skips')
    .option('--trigger <dag_id>', 'after a clean verification, start a run of this DAG')
    .option('--verify-seconds <n>', 'how long verification waits for the environment to parse new DAG files', '300')
    .option('--bucket <name>', 'without --environment: the bucket to upload to (upload only: no plan, no checks, no environment update); with --environment: must be the bucket it reads')
    .option('--plugins', 'without --environment: also upload plugins.zip (with --environment it is always part of the plan)')
    .option('--dags-prefix <prefix>', "without --environment: the DAG folder in the bucket (with --environment: the environment's DagS3Path)", 'dags')
    .option('--endpoint-url <url>', 'an S3 and STS endpoint (a local emulator)')
    .option('--mwaa-endpoint-url <url>', 'an MWAA endpoint (a local emulator)')
    .action(async (dagsDir: string | undefined, options: DeployCommandOptions) => setExitCode(await deployCommand(dagsDir, options)));

  registerExtraCommands(program, setExitCode);
  return program;
}
