/**
 * Points an MWAA environment at freshly published requirements and plugins, after checking
 * that the environment reads the bucket we published to.
 */
import { GetEnvironmentCommand, UpdateEnvironmentCommand, type MWAAClient } from '@aws-sdk/client-mwaa';
import { DeployError, type Published } from './publish.js';

export interface EnvironmentUpdate {
  readonly name: string;
  readonly status: string | undefined;
  readonly updated: boolean;
  readonly requirementsVersion: string | undefined;
  readonly pluginsVersion: string | undefined;
}

export async function updateEnvironment(
  mwaa: MWAAClient,
  options: { name: string; bucket: string; dagsPrefix: string; requirements?: Published | undefined; plugins?: Published | undefined },
): Promise<EnvironmentUpdate> {
  const { Environment: before } = await mwaa.send(new GetEnvironmentCommand({ Name: options.name }));
  if (!before) throw new DeployError('deploy.environment', `MWAA environment ${options.name} not found`);
  const bucketName = before.SourceBucketArn?.split(':::')[1];
  if (bucketName !== options.bucket) {
    throw new DeployError('deploy.bucket-mismatch', `environment ${options.name} reads bucket ${bucketName ?? '(none)'}, not ${options.bucket}`);
  }
  if ((before.DagS3Path ?? 'dags').replace(/\/$/, '') !== options.dagsPrefix) {
    throw new DeployError('deploy.bucket-mismatch', `environment ${options.name} reads DAGs from ${before.DagS3Path}, not ${options.dagsPrefix}`);
  }
  for (const item of [options.requirements, options.plugins]) {
    if (item && !item.versionId) throw new DeployError('deploy.not-versioned', `bucket ${options.bucket} has no versioning: MWAA needs object versions for ${item.key}`);
  }
  const wantRequirements = options.requirements?.versionId;
  const wantPlugins = options.plugins?.versionId;
  const changed =
    (wantRequirements !== undefined && (wantRequirements !== before.RequirementsS3ObjectVersion || before.RequirementsS3Path !== options.requirements?.key)) ||
    (wantPlugins !== undefined && (wantPlugins !== before.PluginsS3ObjectVersion || before.PluginsS3Path !== options.plugins?.key));
  if (changed) {
    await mwaa.send(
      new UpdateEnvironmentCommand({
        Name: options.name,
        ...(options.requirements && wantRequirements ? { RequirementsS3Path: options.requirements.key, RequirementsS3ObjectVersion: wantRequirements } : {}),
        ...(options.plugins && wantPlugins ? { PluginsS3Path: options.plugins.key, PluginsS3ObjectVersion: wantPlugins } : {}),
      }),
    );
  }
  const { Environment: after } = await mwaa.send(new GetEnvironmentCommand({ Name: options.name }));
  if (changed && wantRequirements !== undefined && after?.RequirementsS3ObjectVersion !== wantRequirements) {
    throw new DeployError('deploy.environment', `environment ${options.name} did not take requirements version ${wantRequirements}`);
  }
  if (changed && wantPlugins !== undefined && after?.PluginsS3ObjectVersion !== wantPlugins) {
    throw new DeployError('deploy.environment', `environment ${options.name} did not take plugins version ${wantPlugins}`);
  }
  return {
    name: options.name,
    status: after?.Status,
    updated: changed,
    requirementsVersion: after?.RequirementsS3ObjectVersion,
    pluginsVersion: after?.PluginsS3ObjectVersion,
  };
}
