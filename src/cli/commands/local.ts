/** `dagwright local up | run | status | down`: a native local stack (no Docker). */
import { join } from 'node:path';
import { withoutCredentials } from '../../local/redact.js';
import type { Command } from 'commander';
import { Option } from 'commander';
import { AIRFLOW_TARGETS } from '../../model/airflow-target.js';
import type { PipelineModel } from '../../model/types.js';
import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';
import { writeDagFiles } from './generate.js';

interface UpFlags {
  readonly output?: string;
  readonly airflow: string;
  readonly state: 'sqlite' | 'postgres';
  readonly warehouse: 'duckdb' | 'postgres';
  readonly postgresUrl?: string;
  readonly warehouseUrl: string[];
  readonly pool: string[];
  readonly retryDelayScale?: string;
  readonly schedule?: boolean;
  readonly dir: string;
}

const say = (line: string): void => void process.stderr.write(`[local] ${line}\n`);

export function registerLocalCommands(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('demo')
    .description('run the worked example for real on a local stack (embedded defaults: no PostgreSQL, no cloud, no Docker)')
    .addOption(new Option('--airflow <version>', 'the Airflow version to run').choices(AIRFLOW_TARGETS.filter((t) => t.supportsSla || t.supportsDeadlineAlerts).map((t) => t.version)).default('3.1'))
    .option('--dir <path>', "the folder holding the demo stack's state and logs", '.dagwright/demo')
    .action(async (flags: { airflow: string; dir: string }) => {
      const { demo } = await import('../../local/demo.js');
      const { stopStackOnInterrupt } = await import('../../local/interrupt.js');
      const release = stopStackOnInterrupt(flags.dir, say);
      const result = await demo({ stateDir: flags.dir, airflow: flags.airflow, out: (text) => void process.stdout.write(text), progress: say }).finally(release);
      setExitCode(result.reports.every((r) => r.state === 'success') ? EXIT.ok : EXIT.invalid);
    });

  const local = program.command('local').description('run pipelines on a native local Airflow stack with the services, moto and a warehouse');
  const dirOption = () => new Option('--dir <path>', 'the folder holding all of the stack\'s state and logs').default('.dagwright/local');

  local
    .command('up')
    .description('generate the DAGs of the specs, then start Airflow, the services, moto (and PostgreSQL)')
    .argument('[specs...]', 'spec files or folders')
    .option('-o, --output <dir>', 'the DAGs folder (the generated DAGs are written there); <dir>/dags by default')
    .addOption(new Option('--airflow <version>', 'the Airflow version to run').choices(AIRFLOW_TARGETS.map((t) => t.version)).default('3.1'))
    .addOption(new Option('--state <store>', "the services' bookmarks and job state").choices(['sqlite', 'postgres']).default('sqlite'))
    .addOption(new Option('--warehouse <kind>', 'the warehouse every spec warehouse maps to').choices(['duckdb', 'postgres']).default('duckdb'))
    .option('--postgres-url <url>', 'use this PostgreSQL server instead of starting one')
    .option('--warehouse-url <name=url>', 'the loader URL of one warehouse, e.g. a PostgreSQL of your own (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--pool <name=slots>', 'the size of a pool the specs name (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--retry-delay-scale <factor>', "multiply every retry delay by this factor (e.g. 0.01 in tests): DAGWRIGHT_RETRY_DELAY_SCALE")
    .option('--schedule', 'the scheduler runs the pipelines on its own, as on MWAA: every DAG unpaused, time schedules and asset triggers run (without it, only `local run` starts a run)')
    .addOption(dirOption())
    .option('--docker', "run docker-compose.yml's stack in containers instead (Airflow 3.0.6 as MWAA runs it; needs docker compose): see the README, \"Compose stack (Docker)\"")
    .action(async (specs: string[], flags: UpFlags & { docker?: boolean }) =>
      setExitCode(
        flags.docker && flags.schedule
          ? (process.stderr.write('dagwright local up: --schedule is for the native stack; with --docker, set DAGWRIGHT_USE_JOB_SCHEDULE=True and unpause the DAGs in the Airflow UI\n'), EXIT.usage)
          : flags.docker
            ? await (await import('../../local/docker.js')).dockerUpCommand(specs, flags, say)
            : await upCommand(specs, flags),
      ),
    );

  local
    .command('run')
    .description('trigger a run through the scheduler, show its tasks, and report what happened')
    .argument('<dag_id>')
    .option('--date <date>', 'the logical date (YYYY-MM-DD or ISO date-time, UTC); now by default')
    .option('--conf <json>', 'the run conf, a JSON object', '{}')
    .option('--timeout <seconds>', 'give up waiting after this long', '1800')
    .option('--json', 'print the report as JSON on stdout')
    .addOption(dirOption())
    .action(async (dagId: string, flags: { date?: string; conf: string; timeout: string; json?: boolean; dir: string }) => {
      const { runPipeline, NoStackError } = await import('../../local/run.js');
      const { formatRunReport } = await import('../../local/report.js');
      let conf: unknown;
      try {
        conf = JSON.parse(flags.conf);
      } catch {
        conf = undefined;
      }
      const timeout = Number(flags.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) {
        process.stderr.write('dagwright local run: --timeout must be a number of seconds above 0\n');
        return setExitCode(EXIT.usage);
      }
      if (conf === null || typeof conf !== 'object' || Array.isArray(conf)) {
        process.stderr.write('dagwright local run: --conf must be a JSON object\n');
        return setExitCode(EXIT.usage);
      }
      let report: Awaited<ReturnType<typeof runPipeline>>;
      try {
        report = await runPipeline({ stateDir: flags.dir, dagId, date: flags.date, conf: conf as Record<string, unknown>, timeoutSeconds: timeout, progress: say });
      } catch (error) {
        process.stderr.write(`dagwright local run: ${(error as Error).message}\n`);
        return setExitCode(error instanceof NoStackError ? EXIT.usage : EXIT.invalid);
      }
      process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatRunReport(report) + '\n');
      setExitCode(report.state === 'success' ? EXIT.ok : EXIT.invalid);
    });

  local
    .command('status')
    .description('what is running, where, and where the logs are')
    .addOption(dirOption())
    .action(async (flags: { dir: string }) => {
      const { statusLines } = await import('../../local/status.js');
      const { running, lines } = await statusLines(flags.dir);
      process.stdout.write(lines.join('\n') + '\n');
      setExitCode(running ? EXIT.ok : EXIT.invalid);
    });

  local
    .command('restart')
    .description('stop one process of the stack (or kill it, as a crash) and start it again the same way')
    .argument('<process>', 'bookmarks | dq | loader | scheduler | triggerer | dag-processor | api-server | webserver')
    .option('--kill', 'SIGKILL instead of a graceful stop')
    .addOption(dirOption())
    .action(async (name: string, flags: { kill?: boolean; dir: string }) => {
      const { restart } = await import('../../local/restart.js');
      try {
        await restart(flags.dir, name, { kill: flags.kill === true, say });
        setExitCode(EXIT.ok);
      } catch (error) {
        process.stderr.write(`dagwright local restart: ${(error as Error).message}\n`);
        setExitCode(EXIT.usage);
      }
    });

  local
    .command('down')
    .description('stop everything `local up` started, and nothing else')
    .addOption(dirOption())
    .option('--docker', 'stop the compose stack `local up --docker` started (and remove its volumes)')
    .action(async (flags: { dir: string; docker?: boolean }) => {
      if (flags.docker) return setExitCode(await (await import('../../local/docker.js')).dockerDownCommand(flags.dir, say));
      const { down } = await import('../../local/down.js');
      await down(flags.dir, say);
      setExitCode(EXIT.ok);
    });
}

async function upCommand(specs: string[], flags: UpFlags): Promise<number> {
  const poolSlots = new Map<string, number>();
  for (const entry of flags.pool) {
    const match = /^([^=]+)=(\d+)$/.exec(entry);
    if (!match || Number(match[2]) < 1) {
      process.stderr.write(`dagwright local up: --pool ${entry}: write it as name=slots, slots at least 1\n`);
      return EXIT.usage;
    }
    poolSlots.set(match[1] as string, Number(match[2]));
  }
  const dagsFolder = flags.output ?? join(flags.dir, 'dags');
  const warehouseUrls = new Map<string, string>();
  for (const entry of flags.warehouseUrl) {
    const at = entry.indexOf('=');
    if (at < 1 || !/^(postgres(ql)?|duckdb|redshift[+a-z]*):/.test(entry.slice(at + 1))) {
      process.stderr.write(`dagwright local up: --warehouse-url ${withoutCredentials(entry)}: write it as name=url (postgres://, duckdb:, redshift...)\n`);
      return EXIT.usage;
    }
    warehouseUrls.set(entry.slice(0, at).toLowerCase(), entry.slice(at + 1));
  }
  const scale = flags.retryDelayScale === undefined ? undefined : Number(flags.retryDelayScale);
  if (scale !== undefined && !(scale > 0 && scale <= 1)) {
    process.stderr.write('dagwright local up: --retry-delay-scale must be a number in (0, 1]\n');
    return EXIT.usage;
  }
  const models: PipelineModel[] = [];
  if (specs.length > 0) {
    const { compiled, invalid, unreadable } = await loadSpecs(specs, { airflowVersion: flags.airflow });
    if (invalid > 0 || unreadable.length > 0) {
      for (const line of unreadable) process.stderr.write(`${line}\n`);
      process.stderr.write(`dagwright local up: ${invalid + unreadable.length} spec(s) cannot run on Airflow ${flags.airflow}; nothing was started\n`);
      return EXIT.invalid;
    }
    const { written, conflicts, outputDir } = writeDagFiles(compiled, { output: dagsFolder });
    if (conflicts > 0) return EXIT.invalid;
    say(`${written.length} DAG(s) written to ${outputDir}`);
    for (const spec of compiled) if (spec.model) models.push(spec.model);
  }
  const { up, StackRunningError } = await import('../../local/up.js');
  const { statusLines } = await import('../../local/status.js');
  const { stopStackOnInterrupt } = await import('../../local/interrupt.js');
  const started = Date.now();
  const release = stopStackOnInterrupt(flags.dir, say);
  try {
    await up({
      stateDir: flags.dir,
      airflow: flags.airflow,
      state: flags.state,
      warehouse: flags.warehouse,
      postgresUrl: flags.postgresUrl,
      warehouseUrls,
      dagsFolder,
      models,
      poolSlots,
      operatorSettings: scale === undefined ? {} : { DAGWRIGHT_RETRY_DELAY_SCALE: String(scale) },
      schedule: flags.schedule === true,
      progress: say,
    });
  } catch (error) {
    process.stderr.write(`dagwright local up: ${(error as Error).message}\n`);
    if (error instanceof StackRunningError) return EXIT.usage;
    // Stop what this `up` started (it records each process as it starts it).
    const { down } = await import('../../local/down.js');
    await down(flags.dir, say).catch(() => undefined);
    return EXIT.internal;
  } finally {
    release();
  }
  say(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write((await statusLines(flags.dir)).lines.join('\n') + '\n');
  return EXIT.ok;
}
