/** What a local stack creates before a pipeline runs: SNS topics in moto, PostgreSQL databases. */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import pg from 'pg';

/** Creates each topic by name (moto's account is 123456789012, as in the examples). */
export async function seedTopics(endpoint: string, arns: readonly string[], say: (line: string) => void): Promise<void> {
  if (arns.length === 0) return;
  const byRegion = new Map<string, string[]>();
  for (const arn of arns) {
    const [, , , region = 'us-east-1', , name = ''] = arn.split(':');
    byRegion.set(region, [...(byRegion.get(region) ?? []), name]);
  }
  for (const [region, names] of byRegion) {
    const sns = new SNSClient({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      for (const name of names) await sns.send(new CreateTopicCommand({ Name: name }));
    } finally {
      sns.destroy();
    }
  }
  say(`SNS topics in moto: ${arns.join(', ')}`);
}

/** A fresh database `name` on the server of `serverUrl` (a leftover of the same name is replaced); returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
