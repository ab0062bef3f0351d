/**
 * Deploy against S3 on the moto server (real S3 API, versioned bucket). MWAA is faked
 * in-process with aws-sdk-client-mock, because no emulator here implements the MWAA API
 * (moto has no MWAA backend).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { GetEnvironmentCommand, MWAAClient, UpdateEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPluginsZip, pluginsAirflowignore, pluginsZip } from '../../src/deploy/artifacts.js';
import { deploy } from '../../src/deploy/deploy.js';
import { DeployError } from '../../src/deploy/publish.js';
import { REPO_ROOT, requiredInCi } from '../helpers/paths.js';

const endpoint = requiredInCi('DAGWRIGHT_S3_ENDPOINT');
const operators = join(REPO_ROOT, 'python/dagwright_airflow');

function s3Client(): S3Client {
  return new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

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

describe.skipIf(!endpoint)('dagwright deploy', () => {
  let s3: S3Client;
  beforeAll(() => {
    s3 = s3Client();
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

  it('points the environment at the new versions and checks it took them', async () => {
    const name = await bucket(s3, true);
    const mwaa = mockClient(MWAAClient);
    const environment = { Name: 'prod', SourceBucketArn: `arn:aws:s3:::${name}`, DagS3Path: 'dags', Status: 'AVAILABLE' };
    let updated: Record<string, unknown> = {};
    mwaa.on(GetEnvironmentCommand).callsFake(() => ({ Environment: { ...environment, ...updated } }));
    mwaa.on(UpdateEnvironmentCommand).callsFake((input: Record<string, unknown>) => {
      updated = { ...input, Status: 'UPDATING' };
      return { Arn: 'arn:aws:airflow:us-east-1:123456789012:environment/prod' };
    });
    const report = await deploy({ dagsDir: dagsFolder(), bucket: name, pluginsPackageDir: operators, environment: 'prod', s3, mwaa: new MWAAClient({ region: 'us-east-1' }) });
    expect(report.environment).toMatchObject({ updated: true, status: 'UPDATING', pluginsVersion: report.plugins?.versionId });
    expect(mwaa.commandCalls(UpdateEnvironmentCommand)[0]?.args[0].input).toMatchObject({ Name: 'prod', PluginsS3Path: 'plugins.zip', PluginsS3ObjectVersion: report.plugins?.versionId });
    mwaa.restore();
  });

  it('refuses an environment that reads another bucket, and changes nothing there', async () => {
    const name = await bucket(s3, true);
    const mwaa = mockClient(MWAAClient);
    mwaa.on(GetEnvironmentCommand).resolves({ Environment: { Name: 'prod', SourceBucketArn: 'arn:aws:s3:::someone-elses', DagS3Path: 'dags' } });
    const attempt = deploy({ dagsDir: dagsFolder(), bucket: name, pluginsPackageDir: operators, environment: 'prod', s3, mwaa: new MWAAClient({ region: 'us-east-1' }) });
    await expect(attempt).rejects.toMatchObject({ code: 'deploy.bucket-mismatch' });
    await expect(attempt).rejects.toBeInstanceOf(DeployError);
    expect(mwaa.commandCalls(UpdateEnvironmentCommand)).toHaveLength(0);
    mwaa.restore();
  });

  it('needs a versioned bucket to update an environment', async () => {
    const name = await bucket(s3, false);
    const mwaa = mockClient(MWAAClient);
    mwaa.on(GetEnvironmentCommand).resolves({ Environment: { Name: 'prod', SourceBucketArn: `arn:aws:s3:::${name}`, DagS3Path: 'dags' } });
    await expect(deploy({ dagsDir: dagsFolder(), bucket: name, pluginsPackageDir: operators, environment: 'prod', s3, mwaa: new MWAAClient({ region: 'us-east-1' }) })).rejects.toMatchObject({ code: 'deploy.not-versioned' });
    mwaa.restore();
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
