/**
 * The end-to-end harness: a real local stack started through the CLI (`dagwright local up`),
 * runs triggered through Airflow's scheduler (`dagwright local run --json`), and the world
 * they act on read back directly: S3 and SNS on moto, the warehouse in PostgreSQL, the
 * bookmarks through the service.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import type { RunReport } from '../../src/local/run.js';
import type { StackState } from '../../src/local/stack-state.js';
import { REPO_ROOT as REPO } from '../helpers/paths.js';

export const E2E_AIRFLOW = process.env.DAGWRIGHT_E2E_AIRFLOW ?? '3.0';
const CLI = join(REPO, 'bin', 'dagwright.js');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (process.env.DAGWRIGHT_E2E_VERBOSE) process.stderr.write(c);
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

export class LocalStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'dagwright-e2e-'));
  private state: StackState | undefined;

  constructor(private readonly pgUrl: string) {}

  /** `dagwright local up` of `specs`; `env` reaches the services (their DAGWRIGHT_* settings). */
  async up(specs: readonly string[], extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<void> {
    const result = await cli(['local', 'up', ...specs, '--airflow', E2E_AIRFLOW, '--dir', this.dir, '-o', join(this.dir, 'dags'), '--warehouse', 'postgres', '--postgres-url', this.pgUrl, ...extra], env);
    if (result.code !== 0) throw new Error(`local up failed (${result.code}):\n${result.stderr.slice(-6000)}`);
    this.state = JSON.parse(readFileSync(join(this.dir, 'stack.json'), 'utf8')) as StackState;
  }

  get stack(): StackState {
    if (!this.state) throw new Error('the stack is not up');
    return this.state;
  }

  async run(dagId: string, date: string): Promise<RunReport> {
    const result = await cli(['local', 'run', dagId, '--date', date, '--dir', this.dir, '--json', '--timeout', '480']);
    if (result.stdout.trim() === '') throw new Error(`local run ${dagId} printed no report (${result.code}):\n${result.stderr.slice(-4000)}`);
    return JSON.parse(result.stdout) as RunReport;
  }

  async down(): Promise<CliResult> {
    return cli(['local', 'down', '--dir', this.dir]);
  }

  /** The warehouse database every spec warehouse maps to. */
  warehouseUrl(): string {
    const url = Object.values(this.stack.warehouse.urls)[0];
    if (!url) throw new Error('no warehouse');
    return url;
  }

  /** The services' state database (the stack runs with `--state postgres`). */
  stateUrl(): string {
    if (!this.stack.serviceState.startsWith('postgres')) throw new Error('the stack keeps its state in SQLite');
    return this.stack.serviceState;
  }

  listKeys(bucket: string, prefix: string): Promise<string[]> {
    return listKeys(this.s3(), bucket, prefix);
  }

  s3(): S3Client {
    return new S3Client({ endpoint: this.stack.s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  }

  async bookmark(name: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.stack.services.bookmarks}/v1/bookmarks/${encodeURIComponent(name)}`, { headers: { authorization: `Bearer ${this.stack.serviceToken}` } });
    return (await response.json()) as Record<string, unknown>;
  }
}

export async function sql<T extends Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function putObjects(s3: S3Client, bucket: string, objects: Record<string, string>): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: Error) => {
    if (!/BucketAlready/.test(error.name)) throw error;
  });
  for (const [key, body] of Object.entries(objects)) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

/** Every row of the Parquet objects under a prefix, read with DuckDB. */
export async function parquetRows(s3: S3Client, bucket: string, prefix: string): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dagwright-e2e-parquet-'));
  const files: string[] = [];
  for (const key of (await listKeys(s3, bucket, prefix)).filter((k) => k.endsWith('.parquet'))) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
    const file = join(dir, `${files.length}.parquet`);
    writeFileSync(file, body);
    files.push(file);
  }
  if (files.length === 0) return [];
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}], union_by_name = true)`);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** An SQS queue subscribed to an SNS topic on moto: what the topic publishes, received. */
export class TopicInbox {
  private constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  static async subscribe(endpoint: string, topicArn: string, name: string): Promise<TopicInbox> {
    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials });
    const sns = new SNSClient({ endpoint, region: 'us-east-1', credentials });
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: attributes.Attributes?.QueueArn, Attributes: { RawMessageDelivery: 'true' } }));
    sns.destroy();
    return new TopicInbox(sqs, queue.QueueUrl as string);
  }

  /** Every message received within `waitSeconds`, each once (drains the queue). */
  async drain(waitSeconds = 3): Promise<string[]> {
    const bodies: string[] = [];
    const deadline = Date.now() + waitSeconds * 1000;
    while (Date.now() < deadline) {
      const page = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of page.Messages ?? []) {
        bodies.push(m.Body ?? '');
        // Received means counted: deleted, so it never comes back after its visibility timeout.
        await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    return bodies;
  }
}

export function taskState(report: RunReport, taskId: string): string | null | undefined {
  return report.tasks.find((t) => t.taskId === taskId)?.state;
}

export function taskResult(report: RunReport, taskId: string): Record<string, unknown> {
  return (report.tasks.find((t) => t.taskId === taskId)?.result ?? {}) as Record<string, unknown>;
}
