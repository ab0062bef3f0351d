/**
 * Installs the dagwright operators into a local Airflow exactly as MWAA does: the plugins.zip
 * that `dagwright deploy --plugins` publishes is unzipped into the plugins folder, and
 * Airflow's plugins manager and the DAGs import them from there.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPluginsZip } from '../deploy/artifacts.js';
import { runCommand } from './commands.js';

export async function installOperators(options: { venv: string; pluginsFolder: string; workDir: string }): Promise<void> {
  const zip = join(options.workDir, 'plugins.zip');
  writeFileSync(zip, await buildPluginsZip());
  rmSync(options.pluginsFolder, { recursive: true, force: true });
  mkdirSync(options.pluginsFolder, { recursive: true });
  // MWAA unzips with the system's unzip; Python's zipfile extracts the same entries.
  await runCommand(join(options.venv, 'bin', 'python'), ['-m', 'zipfile', '-e', zip, options.pluginsFolder]);
}
