import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { S3Client } from '@aws-sdk/client-s3';
import { MWAAClient } from '@aws-sdk/client-mwaa';
import { STSClient } from '@aws-sdk/client-sts';
import type { DeployClients } from '../../deploy/apply.js';
import { applyRollback, formatRollbackPlan, planRollback, rollbackIsEmpty, sameRollback } from '../../deploy/rollback.js';
import { operatorsPackageDir } from '../../deploy/artifacts.js';
import { deployChecks, SKIP_CHECKS_WARNING } from '../../deploy/checks.js';
import { deploy, deployStatus, deployToEnvironment } from '../../deploy/deploy.js';
import { DeployError } from '../../deploy/publish.js';
import { EXIT } from '../exit-codes.js';

export interface DeployCommandOptions {
  readonly bucket?: string;
  readonly environment?: string;
  readonly requirements?: string;
  readonly startupScript?: string;
  readonly plugins?: boolean;
  readonly dagsPrefix?: string;
  readonly region?: string;
  /** S3 and STS endpoint (a local emulator). */
  readonly endpointUrl?: string;
  /** MWAA endpoint (a local emulator or fake); the SDK's api. host prefix is then left off. */
  readonly mwaaEndpointUrl?: string;
  readonly plan?: boolean;
  readonly yes?: boolean;
  /** commander's --no-wait sets this false. */
  readonly wait?: boolean;
  readonly rollback?: boolean;
  readonly status?: boolean;
  /** Between two GetEnvironment calls while waiting, in seconds. */
  readonly pollSeconds?: string;
  /** How long verification asks again for DAGs the environment has not parsed yet, in seconds. */
  readonly verifySeconds?: string;
  readonly trigger?: string;
  readonly skipChecks?: boolean;
}

export interface DeployIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Whether a person can answer the confirmation question. */
  readonly interactive: boolean;
  readonly ask: (question: string) => Promise<string>;
}

const processIo: DeployIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  ask: async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

function clients(options: DeployCommandOptions): DeployClients {
  const region = options.region ? { region: options.region } : {};
  const local = options.endpointUrl ? { endpoint: options.endpointUrl } : {};
  return {
    s3: new S3Client({ ...region, ...local, ...(options.endpointUrl ? { forcePathStyle: true } : {}) }),
    sts: new STSClient({ ...region, ...local }),
    mwaa: new MWAAClient({
      ...region,
      ...(options.mwaaEndpointUrl ? { endpoint: options.mwaaEndpointUrl, disableHostPrefix: true } : options.endpointUrl ? { endpoint: options.endpointUrl, disableHostPrefix: true } : {}),
    }),
    region: options.region,
  };
}

/** Flag combinations that mean nothing, or something other than what they say: a usage error, before anything is read or changed. */
export function deployUsageError(options: DeployCommandOptions): string | undefined {
  if (options.pollSeconds !== undefined && !(Number(options.pollSeconds) > 0 && Number.isFinite(Number(options.pollSeconds)))) {
    return `--poll-seconds must be a number of seconds above 0, not ${JSON.stringify(options.pollSeconds)}`;
  }
  if (options.verifySeconds !== undefined && !(Number(options.verifySeconds) >= 0 && Number.isFinite(Number(options.verifySeconds)))) {
    return `--verify-seconds must be a number of seconds (0: ask once), not ${JSON.stringify(options.verifySeconds)}`;
  }
  if (!options.environment) {
    const needEnvironment = (
      [
        ['--plan', options.plan],
        ['--yes', options.yes],
        ['--no-wait', options.wait === false],
        ['--rollback', options.rollback],
        ['--status', options.status],
        ['--trigger', options.trigger],
        ['--startup-script', options.startupScript],
        ['--skip-checks', options.skipChecks],
      ] as const
    ).filter(([, given]) => Boolean(given));
    if (needEnvironment.length > 0) return `${needEnvironment.map(([name]) => name).join(', ')} need --environment <name>: without it, --bucket only uploads`;
    return undefined;
  }
  if (options.plugins) return '--plugins is for upload only (--bucket without --environment): a planned deploy always publishes the operators in plugins.zip';
  if (options.rollback) {
    const ignored = (
      [
        ['--trigger', options.trigger],
        ['--requirements', options.requirements],
        ['--startup-script', options.startupScript],
      ] as const
    ).filter(([, given]) => Boolean(given));
    if (ignored.length > 0) return `--rollback restores the versions before the latest deploy and takes no ${ignored.map(([name]) => name).join(', ')}`;
  }
  return undefined;
}

export async function deployCommand(dagsDir: string | undefined, options: DeployCommandOptions, io: DeployIo = processIo): Promise<number> {
  const usage = deployUsageError(options) ?? (dagsDir !== undefined && !existsSync(dagsDir) ? `the DAG folder ${dagsDir} does not exist` : undefined);
  if (usage !== undefined) {
    io.err(`dagwright deploy: ${usage}`);
    return EXIT.usage;
  }
  try {
    if (!options.environment) return await uploadOnly(dagsDir, options, io);
    const aws = clients(options);
    if (options.status) {
      for (const line of await deployStatus(aws, options.environment)) io.out(line);
      return EXIT.ok;
    }
    const waitOptions = options.pollSeconds ? { pollMs: Number(options.pollSeconds) * 1000 } : {};
    const confirm = async (question: string, what: string) => {
      if (options.yes) return true;
      if (!io.interactive) {
        throw new DeployError('deploy.not-confirmed', `not a terminal, so nobody can confirm the plan: pass --yes to ${what}, or --plan to only print it; nothing was changed`);
      }
      return /^y(es)?$/i.test((await io.ask(question)).trim());
    };
    if (options.rollback) {
      // The issue's form `deploy <dags-dir> --environment e --rollback` stays valid; the folder is not read.
      if (dagsDir !== undefined) io.err(`dagwright deploy: note: --rollback restores the versions before the latest deploy; the DAG folder ${dagsDir} is not read`);
      const plan = await planRollback(aws, options.environment);
      for (const line of formatRollbackPlan(plan)) io.out(line);
      if (options.plan) return EXIT.ok;
      if (rollbackIsEmpty(plan)) {
        io.out('nothing to roll back: the bucket and the environment are already as they were before that deploy');
        return EXIT.ok;
      }
      if (!(await confirm('Roll back? [y/N] ', 'roll back'))) throw new DeployError('deploy.not-confirmed', 'rollback not confirmed: nothing was changed');
      // A person may take a while to answer: what they confirmed must still be what would run.
      if (!options.yes && !sameRollback(plan, await planRollback(aws, options.environment))) {
        throw new DeployError('deploy.plan-changed', 'the bucket or the environment changed while the plan waited for confirmation: nothing was changed; run --rollback again to see the new plan');
      }
      const result = await applyRollback(aws, plan, { wait: options.wait !== false, waitOptions, log: io.out });
      io.out(`rollback ${result.record.outcome === 'done' ? 'done' : 'started'}: recorded at ${result.recordKey}`);
      return EXIT.ok;
    }
    if (!dagsDir) {
      io.err('dagwright deploy: the DAG folder is required (only --status and --rollback go without it)');
      return EXIT.usage;
    }
    if (options.skipChecks) io.err(SKIP_CHECKS_WARNING);
    const result = await deployToEnvironment({
      dagsDir,
      environment: options.environment,
      clients: aws,
      requirementsFile: options.requirements,
      startupScriptFile: options.startupScript,
      expectBucket: options.bucket,
      pluginsPackageDir: operatorsPackageDir(),
      planOnly: options.plan === true,
      ...(options.skipChecks ? {} : { check: deployChecks(dagsDir, io.out) }),
      confirm: () => confirm('Deploy this plan? [y/N] ', 'deploy it'),
      wait: options.wait !== false,
      waitOptions,
      log: io.out,
      verify: {
        target: { mwaa: aws.mwaa, environment: options.environment, endpoint: options.mwaaEndpointUrl ?? options.endpointUrl },
        settleMs: Number(options.verifySeconds ?? '300') * 1000,
        ...(options.pollSeconds ? { pollMs: Math.min(15, Number(options.pollSeconds)) * 1000 } : {}),
        trigger: options.trigger,
      },
    });
    if (result.kind === 'applied') io.out(`deploy ${result.applied.record.outcome === 'done' ? 'done' : 'started'}; environment ${result.env.name} is ${result.env.status}`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DeployError) {
      io.err(`dagwright deploy: ${error.code}: ${error.message}`);
      return EXIT.invalid;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (message === 'Region is missing') {
      io.err('dagwright deploy: no AWS region: pass --region, or set AWS_REGION (or a region in the AWS profile)');
      return EXIT.usage;
    }
    io.err(`dagwright deploy: ${message}`);
    return EXIT.internal;
  }
}

/** --bucket without --environment: today's upload-only deploy. */
async function uploadOnly(dagsDir: string | undefined, options: DeployCommandOptions, io: DeployIo): Promise<number> {
  if (!options.bucket || !dagsDir) {
    io.err('dagwright deploy: give --environment <name> (a planned deploy), or <dags-dir> with --bucket <name> (upload only)');
    return EXIT.usage;
  }
  const clientConfig = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl, forcePathStyle: true } : {}),
  };
  const report = await deploy({
    dagsDir,
    bucket: options.bucket,
    ...(options.dagsPrefix ? { dagsPrefix: options.dagsPrefix } : {}),
    ...(options.requirements ? { requirementsFile: options.requirements } : {}),
    ...(options.plugins ? { pluginsPackageDir: operatorsPackageDir() } : {}),
    s3: new S3Client(clientConfig),
  });
  for (const item of [...report.dags, report.requirements, report.plugins]) {
    if (item) io.out(`s3://${options.bucket}/${item.key} (${item.bytes} bytes${item.versionId ? `, version ${item.versionId}` : ''}) verified`);
  }
  return EXIT.ok;
}
