import type { SchemaObject } from '../../kit/validation.js';

const name = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?$' };
const common = { schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]*$' }, ledger: name };

/** The secrets file: `{"warehouses": {"<name>": {"type": "postgres" | "duckdb" | "redshift", …}}}`. */
export const warehouseFileSchema: SchemaObject = {
  type: 'object',
  required: ['warehouses'],
  additionalProperties: false,
  properties: {
    warehouses: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          {
            type: 'object',
            required: ['type', 'url'],
            additionalProperties: false,
            properties: {
              type: { const: 'postgres' },
              url: { type: 'string', pattern: '^postgres(ql)?://' },
              ...common,
              max_connections: { type: 'integer', minimum: 1, maximum: 64 },
              connect_timeout_ms: { type: 'integer', minimum: 100 },
              session: { type: 'object', additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9_.]+$' }, propertyNames: { pattern: '^[a-z_]+$' } },
            },
          },
          {
            type: 'object',
            required: ['type', 'path'],
            additionalProperties: false,
            properties: {
              type: { const: 'duckdb' },
              path: { type: 'string', minLength: 1 },
              ...common,
              memory_limit: { type: 'string', pattern: '^[0-9]+ ?[KMGT]i?B$' },
              threads: { type: 'integer', minimum: 1, maximum: 64 },
            },
          },
          {
            type: 'object',
            required: ['type', 'api', 'database', 'iam_role', 'manifest_prefix'],
            additionalProperties: false,
            properties: {
              type: { const: 'redshift' },
              api: { enum: ['data', 'pg'] },
              cluster_identifier: { type: 'string', minLength: 1 },
              workgroup_name: { type: 'string', minLength: 1 },
              database: { type: 'string', minLength: 1 },
              db_user: { type: 'string', minLength: 1 },
              secret_arn: { type: 'string', pattern: '^arn:' },
              region: { type: 'string', minLength: 1 },
              url: { type: 'string', pattern: '^(redshift|postgres(ql)?)://' },
              iam_role: { type: 'string', pattern: '^arn:' },
              manifest_prefix: { type: 'string', pattern: '^s3://[^/]+/' },
              ...common,
              load_errors_view: { enum: ['sys', 'stl'] },
              poll_interval_ms: { type: 'integer', minimum: 10 },
            },
          },
        ],
      },
    },
  },
};
