/**
 * What a deploy publishes to an MWAA environment's bucket: the DAG files, requirements.txt
 * and plugins.zip (the dagwright_airflow operators), each with its bytes and MD5.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

/** The Python package of operators that generated DAGs import. */
export const OPERATORS_PACKAGE = 'dagwright_airflow';

export interface Artifact {
  /** The object key in the environment's bucket. */
  readonly key: string;
  readonly body: Buffer;
  readonly md5Base64: string;
  readonly md5Hex: string;
}

export function artifact(key: string, body: Buffer): Artifact {
  const md5 = createHash('md5').update(body);
  const digest = md5.digest();
  return { key, body, md5Base64: digest.toString('base64'), md5Hex: digest.toString('hex') };
}

/** Every .py file below `dir`, as `<dagsPrefix>/<relative path>`, in a stable order. */
export function dagArtifacts(dir: string, dagsPrefix: string): Artifact[] {
  return filesBelow(dir)
    .filter((file) => file.endsWith('.py'))
    .map((file) => artifact(`${dagsPrefix}/${relative(dir, file).split(sep).join('/')}`, readFileSync(file)));
}

/**
 * plugins.zip holding a Python package folder (e.g. python/dagwright_airflow) and, at its
 * root, the `.airflowignore` that keeps the package out of Airflow's plugins manager (see
 * pluginsAirflowignore). Byte-for-byte the same for the same files: sorted entries, a fixed
 * timestamp, no compression metadata that depends on the machine.
 */
export async function pluginsZip(packageDir: string, packageName: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const fixedTime = new Date(Date.UTC(2020, 0, 1));
  zip.addBuffer(Buffer.from(pluginsAirflowignore(packageName)), '.airflowignore', { mtime: fixedTime, mode: 0o100644 });
  for (const file of filesBelow(packageDir).filter((f) => f.endsWith('.py'))) {
    const name = `${packageName}/${relative(packageDir, file).split(sep).join('/')}`;
    zip.addBuffer(readFileSync(file), name, { mtime: fixedTime, mode: 0o100644 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The `.airflowignore` at the root of plugins.zip. MWAA unzips plugins.zip into the plugins
 * folder, and Airflow's plugins manager (load_plugins_from_plugin_directory, 2.10 to 3.1)
 * imports every .py file there that this file does not exclude as a top-level module named
 * after the file: operators/http.py would become `http` and shadow the standard library in
 * every Airflow process. The package stays importable because Airflow puts the plugins folder
 * on sys.path (settings.prepare_syspath_for_config_and_plugins). The patterns follow
 * [core] dag_ignore_file_syntax (default regexp on 2.x, glob on 3.x; users may set either),
 * so there is one line per syntax; under the other syntax each matches nothing in the zip.
 */
export function pluginsAirflowignore(packageName: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(packageName)) throw new Error(`not a Python package name: ${packageName}`);
  return [
    `# Written by dagwright: keeps the ${packageName} package out of Airflow's plugins manager,`,
    '# which would import each of its .py files as a top-level module (operators/http.py as http).',
    '# The package stays importable: Airflow puts the plugins folder on sys.path.',
    '# [core] dag_ignore_file_syntax = regexp',
    `^${packageName}$`,
    '# [core] dag_ignore_file_syntax = glob',
    `/${packageName}/`,
    '',
  ].join('\n');
}

export interface PluginsZipOptions {
  /** The package folder to zip; default: the dagwright_airflow shipped with this CLI. */
  readonly packageDir?: string;
}

/**
 * The plugins.zip that `dagwright deploy --plugins` publishes (and a local MWAA-like stack
 * unzips into its plugins folder): the dagwright_airflow package, byte-deterministic.
 */
export async function buildPluginsZip(options: PluginsZipOptions = {}): Promise<Buffer> {
  return pluginsZip(options.packageDir ?? operatorsPackageDir(), OPERATORS_PACKAGE);
}

/** python/dagwright_airflow beside this module: found by walking up, so it works from src/ and dist/src/. */
export function operatorsPackageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'python', OPERATORS_PACKAGE);
    if (existsSync(join(candidate, '__init__.py'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`python/${OPERATORS_PACKAGE} not found above ${here}`);
  }
}

function filesBelow(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === '__pycache__' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesBelow(path));
    else found.push(path);
  }
  return found;
}
