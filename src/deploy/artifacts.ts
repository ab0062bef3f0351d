/**
 * What a deploy publishes to an MWAA environment's bucket: the DAG files, requirements.txt
 * and plugins.zip (the dagwright_airflow operators), each with its bytes and MD5.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import yazl from 'yazl';

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
 * plugins.zip holding a Python package folder (e.g. python/dagwright_airflow), byte-for-byte
 * the same for the same files: sorted entries, a fixed timestamp, no compression metadata
 * that depends on the machine.
 */
export async function pluginsZip(packageDir: string, packageName: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const fixedTime = new Date(Date.UTC(2020, 0, 1));
  for (const file of filesBelow(packageDir).filter((f) => f.endsWith('.py'))) {
    const name = `${packageName}/${relative(packageDir, file).split(sep).join('/')}`;
    zip.addBuffer(readFileSync(file), name, { mtime: fixedTime, mode: 0o100644 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
