/**
 * The upload-only deploy (--bucket without --environment) against S3 on the moto server (real
 * S3 API, versioned bucket). The deploy to an MWAA environment is tested in
 * environment-deploy.integration.test.ts and deploy-cli.integration.test.ts.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPluginsZip, pluginsAirflowignore, pluginsZip } from '../../src/deploy/artifacts.js';
import { deploy } from '../../src/deploy/deploy.js';
import { MOTO_ENDPOINT, motoS3 } from '../helpers/moto.js';
import { REPO_ROOT } from '../helpers/paths.js';

const operators = join(REPO_ROOT, 'python/dagwright_airflow');

function dagsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dagwright-deploy-'));
  mkdirSync(join(dir, 'team'));
  writeFileSync(join(dir, 'a.py'), '# dag a\n');
  writeFileSync(join(dir, 'team', 'b.py'), '# dag b\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a dag\n');
  return dir;
}

async function bucket(s3: S3Client, versioned: boolean): Promise<string> {
  const name = `dagwright-deploy-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  return name;
}

describe.skipIf(!MOTO_ENDPOINT)('dagwright deploy --bucket (upload only)', () => {
  let s3: S3Client;
  beforeAll(() => {
    s3 = motoS3();
  });

  it('publishes DAGs, requirements and plugins, each verified and versioned', async () => {
    const name = await bucket(s3, true);
    const requirements = join(dagsFolder(), 'requirements.txt');
    writeFileSync(requirements, 'apache-airflow-providers-amazon==9.0.0\n');
    const report = await deploy({ dagsDir: dagsFolder(), bucket: name, requirementsFile: requirements, pluginsPackageDir: operators, s3 });
    expect(report.dags.map((d) => d.key)).toEqual(['dags/a.py', 'dags/team/b.py']);
    expect(report.requirements?.versionId).toBeTruthy();
    expect(report.plugins?.versionId).toBeTruthy();
    const body = await s3.send(new GetObjectCommand({ Bucket: name, Key: 'dags/team/b.py' }));
    expect(await body.Body?.transformToString()).toBe('# dag b\n');
  });
});

describe('plugins.zip', () => {
  it('is byte-for-byte the same for the same package', async () => {
    const [first, second] = await Promise.all([pluginsZip(operators, 'dagwright_airflow'), pluginsZip(operators, 'dagwright_airflow')]);
    expect(first.equals(second)).toBe(true);
    expect(first.includes(Buffer.from('dagwright_airflow/operators/load.py'))).toBe(true);
  });

  it('is what buildPluginsZip() builds from the package shipped with the CLI', async () => {
    expect((await buildPluginsZip()).equals(await pluginsZip(operators, 'dagwright_airflow'))).toBe(true);
  });

  // Airflow's plugins manager honouring it, on every pinned version and both ignore syntaxes,
  // is tested in test/airflow/test_plugins_zip.py.
  it('has an .airflowignore at its root that keeps the package out of the plugins manager', async () => {
    const zip = await buildPluginsZip();
    expect(zip.includes(Buffer.from('.airflowignore'))).toBe(true);
    const patterns = pluginsAirflowignore('dagwright_airflow').split('\n').filter((line) => line && !line.startsWith('#'));
    expect(patterns).toEqual(['^dagwright_airflow$', '/dagwright_airflow/']);
    expect(() => pluginsAirflowignore('a.b')).toThrow();
  });
});
