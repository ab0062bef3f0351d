import { S3Client } from '@aws-sdk/client-s3';
import { MWAAClient } from '@aws-sdk/client-mwaa';
import { operatorsPackageDir } from '../../deploy/artifacts.js';
import { deploy } from '../../deploy/deploy.js';
import { DeployError } from '../../deploy/publish.js';
import { EXIT } from '../exit-codes.js';

export interface DeployCommandOptions {
  readonly bucket: string;
  readonly environment?: string;
  readonly requirements?: string;
  readonly plugins?: boolean;
  readonly dagsPrefix?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

export async function deployCommand(dagsDir: string, options: DeployCommandOptions): Promise<number> {
  const clientConfig = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl, forcePathStyle: true } : {}),
  };
  try {
    const report = await deploy({
      dagsDir,
      bucket: options.bucket,
      ...(options.dagsPrefix ? { dagsPrefix: options.dagsPrefix } : {}),
      ...(options.requirements ? { requirementsFile: options.requirements } : {}),
      ...(options.plugins ? { pluginsPackageDir: operatorsPackageDir() } : {}),
      ...(options.environment ? { environment: options.environment, mwaa: new MWAAClient(clientConfig) } : {}),
      s3: new S3Client(clientConfig),
    });
    for (const item of [...report.dags, report.requirements, report.plugins]) {
      if (item) process.stdout.write(`s3://${options.bucket}/${item.key} (${item.bytes} bytes${item.versionId ? `, version ${item.versionId}` : ''}) verified\n`);
    }
    if (report.environment) {
      const env = report.environment;
      process.stdout.write(`environment ${env.name}: ${env.updated ? 'updated' : 'already current'}, status ${env.status ?? 'unknown'}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DeployError) {
      process.stderr.write(`dagwright deploy: ${error.code}: ${error.message}\n`);
      return EXIT.invalid;
    }
    process.stderr.write(`dagwright deploy: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.internal;
  }
}
