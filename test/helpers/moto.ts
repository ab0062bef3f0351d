import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { requiredInCi } from './paths.js';

/**
 * The moto server the deploy tests use for S3 and STS (scripts/moto.sh): required in CI;
 * locally, without it, their suites are skipped and these clients are never sent anything.
 */
export const MOTO_ENDPOINT = requiredInCi('DAGWRIGHT_S3_ENDPOINT');

const config = {
  ...(MOTO_ENDPOINT === undefined ? {} : { endpoint: MOTO_ENDPOINT }),
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};

export const motoS3 = (): S3Client => new S3Client({ ...config, forcePathStyle: true });
export const motoSts = (): STSClient => new STSClient(config);
