import type { Secret } from '../../config/secret.js';

/**
 * A Redshift warehouse (provisioned cluster or Serverless workgroup), reached
 * through the Data API (`api: "data"`) or the PostgreSQL wire protocol
 * (`api: "pg"`). COPY reads the batch from S3 itself, through a manifest the
 * loader writes under `manifest_prefix`, with `iam_role`.
 */
export interface RedshiftConfig {
  readonly type: 'redshift';
  readonly api: 'data' | 'pg';
  /** Data API: one of the two. */
  readonly cluster_identifier?: string;
  readonly workgroup_name?: string;
  readonly database: string;
  /** Data API credentials: a database user (temporary credentials) or a Secrets Manager secret. */
  readonly db_user?: string;
  readonly secret_arn?: string;
  readonly region?: string;
  /** PostgreSQL wire protocol: `redshift://user:password@host:5439/db`. */
  readonly url?: Secret;
  readonly iam_role: string;
  /** `s3://bucket/prefix/` for the manifests. */
  readonly manifest_prefix: string;
  readonly schema?: string;
  readonly ledger?: string;
  /** Where COPY errors are read: `sys` (SYS_LOAD_ERROR_DETAIL, default) or `stl` (STL_LOAD_ERRORS). */
  readonly load_errors_view?: 'sys' | 'stl';
  readonly poll_interval_ms?: number;
}

/** The slice of the AWS SDK clients the Redshift parts use (`client.send`), so tests pass mocks. */
export interface SendClient {
  send(command: object, options?: { readonly abortSignal?: AbortSignal }): Promise<unknown>;
}
