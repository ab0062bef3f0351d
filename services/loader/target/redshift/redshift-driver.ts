import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type DescribeStatementResponse,
  type Field,
  type GetStatementResultResponse,
} from '@aws-sdk/client-redshift-data';
import { Problem } from '../../../kit/errors/problem.js';
import type { Driver, Row, Transaction } from '../target.js';
import type { SendClient } from './redshift-config.js';
import { classifyRedshift, classifyRedshiftMessage } from './redshift-errors.js';

/** Where Data API statements run: a cluster or a Serverless workgroup, and as whom. */
export interface DataApiTarget {
  readonly ClusterIdentifier?: string;
  readonly WorkgroupName?: string;
  readonly Database: string;
  readonly DbUser?: string;
  readonly SecretArn?: string;
}

export interface DataApiDriverOptions {
  readonly client: SendClient;
  readonly target: DataApiTarget;
  readonly pollIntervalMs: number;
  /** The report for a failed COPY, from its Redshift query id. */
  readonly loadErrors: (queryId: number | undefined, error: string) => Promise<Problem>;
}

/** Statements collected for one BatchExecuteStatement; `labels[i]` names statement i. */
export interface DataApiTransaction extends Transaction {
  readonly sqls: string[];
  readonly labels: string[];
}

/**
 * The Redshift Data API. Reads are ExecuteStatement + DescribeStatement
 * polling + GetStatementResult. A load's transaction is collected and sent as
 * ONE BatchExecuteStatement in TRANSACTION mode, with a ClientToken unique to
 * the attempt, so an SDK retry of the call never starts a second batch.
 */
export class RedshiftDataDriver implements Driver<DataApiTransaction> {
  readonly interactive = false;

  constructor(private readonly options: DataApiDriverOptions) {}

  async query(sql: string): Promise<Row[]> {
    const id = await this.submit(new ExecuteStatementCommand({ ...this.options.target, Sql: sql }));
    const done = await this.wait(id);
    if (!done.HasResultSet) return [];
    const rows: Row[] = [];
    let token: string | undefined;
    do {
      const page = (await this.send(new GetStatementResultCommand({ Id: id, ...(token ? { NextToken: token } : {}) }))) as GetStatementResultResponse;
      const names = (page.ColumnMetadata ?? []).map((c, i) => c.name ?? c.label ?? `col${i}`);
      for (const record of page.Records ?? []) rows.push(Object.fromEntries(record.map((field, i) => [names[i] ?? `col${i}`, value(field)])));
      token = page.NextToken;
    } while (token);
    return rows;
  }

  async run(sql: string): Promise<void> {
    await this.wait(await this.submit(new ExecuteStatementCommand({ ...this.options.target, Sql: sql })));
  }

  async transaction<T>(work: (tx: DataApiTransaction) => Promise<T>, options: { readonly token: string; readonly signal: AbortSignal }): Promise<T> {
    const sqls: string[] = [];
    const labels: string[] = [];
    const tx: DataApiTransaction = {
      sqls,
      labels,
      execute: async (sql, label) => {
        sqls.push(sql);
        labels.push(label ?? '');
      },
    };
    const result = await work(tx);
    if (sqls.length === 0) return result;
    const id = await this.submit(
      new BatchExecuteStatementCommand({ ...this.options.target, Sqls: sqls, ClientToken: options.token, ExecutionMode: 'TRANSACTION', StatementName: 'dagwright-load' }),
    );
    await this.wait(id, options.signal, labels);
    return result;
  }

  async close(): Promise<void> {}

  private async submit(command: object): Promise<string> {
    const out = (await this.send(command)) as { Id?: string };
    if (!out.Id) throw new Error('the Data API returned no statement id');
    return out.Id;
  }

  /** Polls until FINISHED; a FAILED or ABORTED statement becomes the problem it describes. */
  private async wait(id: string, signal?: AbortSignal, labels: readonly string[] = []): Promise<DescribeStatementResponse> {
    for (;;) {
      if (signal?.aborted) {
        await this.send(new CancelStatementCommand({ Id: id })).catch(() => undefined);
        signal.throwIfAborted();
      }
      const d = (await this.send(new DescribeStatementCommand({ Id: id }))) as DescribeStatementResponse;
      if (d.Status === 'FINISHED') return d;
      if (d.Status === 'FAILED') throw await this.failure(d, labels);
      if (d.Status === 'ABORTED') throw new Problem('Warehouse.Unavailable', { detail: `statement ${id} was aborted` });
      await sleep(this.options.pollIntervalMs);
    }
  }

  private async failure(d: DescribeStatementResponse, labels: readonly string[]): Promise<Error> {
    const subs = d.SubStatements ?? [];
    const index = subs.findIndex((s) => s.Status === 'FAILED');
    const failed = index >= 0 ? subs[index] : undefined;
    const error = failed?.Error ?? d.Error ?? 'the statement failed';
    if (labels[index] === 'copy' && /Load into table|load_error|stl_load_errors|sys_load_error_detail/i.test(error)) {
      return this.options.loadErrors(failed?.RedshiftQueryId ?? d.RedshiftQueryId, error);
    }
    return classifyRedshiftMessage(error) ?? new Error(`Redshift statement failed: ${error}`);
  }

  private async send(command: object): Promise<unknown> {
    try {
      return await this.options.client.send(command);
    } catch (err) {
      throw classifyRedshift(err) ?? err;
    }
  }
}

function value(field: Field): unknown {
  if (field.isNull) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.blobValue !== undefined) return field.blobValue;
  return null;
}
