/** `dagwright deploy`: publish DAGs, requirements and plugins to an MWAA bucket, then check. */
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { MWAAClient } from '@aws-sdk/client-mwaa';
import { artifact, buildPluginsZip, dagArtifacts, type Artifact } from './artifacts.js';
import { updateEnvironment, type EnvironmentUpdate } from './mwaa.js';
import { publish, type Published } from './publish.js';

export interface DeployOptions {
  readonly dagsDir: string;
  readonly bucket: string;
  readonly dagsPrefix?: string;
  readonly requirementsFile?: string;
  /** The folder of the dagwright_airflow package, zipped into plugins.zip (buildPluginsZip). */
  readonly pluginsPackageDir?: string;
  readonly environment?: string;
  readonly s3: S3Client;
  readonly mwaa?: MWAAClient;
}

export interface DeployReport {
  readonly dags: readonly Published[];
  readonly requirements: Published | undefined;
  readonly plugins: Published | undefined;
  readonly environment: EnvironmentUpdate | undefined;
}

export async function deploy(options: DeployOptions): Promise<DeployReport> {
  const dagsPrefix = (options.dagsPrefix ?? 'dags').replace(/\/$/, '');
  const dags = dagArtifacts(options.dagsDir, dagsPrefix);
  const extras: Artifact[] = [];
  if (options.requirementsFile) extras.push(artifact('requirements.txt', readFileSync(options.requirementsFile)));
  if (options.pluginsPackageDir) extras.push(artifact('plugins.zip', await buildPluginsZip({ packageDir: options.pluginsPackageDir })));
  // Requirements and plugins first: DAGs that import new operators must not land before them.
  const publishedExtras = await publish(options.s3, options.bucket, extras);
  const publishedDags = await publish(options.s3, options.bucket, dags);
  const requirements = publishedExtras.find((p) => p.key === 'requirements.txt');
  const plugins = publishedExtras.find((p) => p.key === 'plugins.zip');
  const environment =
    options.environment && options.mwaa
      ? await updateEnvironment(options.mwaa, { name: options.environment, bucket: options.bucket, dagsPrefix, requirements, plugins })
      : undefined;
  return { dags: publishedDags, requirements, plugins, environment };
}
