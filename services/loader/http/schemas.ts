import { batchManifestCountSchema, batchManifestSha256Schema, batchManifestUriSchema, DATA_FORMATS, LOAD_MAX_KEYS, LOAD_MODES, WAREHOUSE_NAME_PATTERN } from '../../../src/contract/index.js';
import type { SchemaObject } from '../../kit/validation.js';

/** A warehouse's name, as `DAGWRIGHT_WAREHOUSE_<NAME>` gives it and the availability route takes it. */
export const WAREHOUSE_NAME = new RegExp(WAREHOUSE_NAME_PATTERN);

const objectRef = {
  oneOf: [
    { type: 'string', minLength: 6, maxLength: 2048 },
    {
      type: 'object',
      required: ['key'],
      additionalProperties: true,
      properties: {
        key: { type: 'string', minLength: 1, maxLength: 2048 },
        bucket: { type: 'string', maxLength: 63 },
        size: { type: 'integer', minimum: 0 },
        etag: { type: 'string', maxLength: 128 },
      },
    },
  ],
};
const objects = { type: 'array', maxItems: 10000, items: objectRef };
const name = { type: 'string', minLength: 1, maxLength: 300 };

/**
 * `POST /v1/loads`. Names are checked after the schema, so a bad one is
 * `400 InvalidIdentifier` (and an empty batch `400 EmptyBatch`) rather than
 * a generic `Request.Invalid`.
 */
export const loadBody: SchemaObject = {
  type: 'object',
  required: ['batch', 'table', 'mode'],
  additionalProperties: false,
  properties: {
    batch: {
      type: 'object',
      description:
        'a bookmarks run result ({source, batch: {objects}}), {source?, objects: [s3 URI | {key, bucket?, size?, etag?}]}, or a large batch as a reference to its manifest {manifest, source?, count?, total_bytes?}',
      additionalProperties: true,
      properties: {
        source: { type: 'string', maxLength: 2048 },
        objects,
        manifest: batchManifestUriSchema,
        count: batchManifestCountSchema,
        sha256: batchManifestSha256Schema,
        total_bytes: { type: 'integer', minimum: 0 },
        batch: { type: 'object', additionalProperties: true, properties: { objects } },
      },
    },
    target: { type: 'string', minLength: 1, maxLength: 63, description: 'a configured warehouse; "default" (embedded DuckDB) when absent' },
    warehouse: { type: 'string', minLength: 1, maxLength: 63, description: 'the same as target' },
    table: { ...name, description: '"table" or "schema.table"' },
    mode: { enum: [...LOAD_MODES] },
    keys: { type: 'array', maxItems: LOAD_MAX_KEYS, items: name },
    order_by: { ...name, description: 'duplicate keys in the batch: the row with the greatest value wins' },
    format: { enum: [...DATA_FORMATS], description: 'csv, jsonl (JSON lines) or parquet; inferred from the object names when absent' },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allow_new_columns: { type: 'boolean' },
        compression: { enum: ['auto', 'none', 'gzip'] },
        columns: { type: 'array', maxItems: 1600, items: name },
        csv: {
          type: 'object',
          additionalProperties: false,
          properties: {
            delimiter: { type: 'string', pattern: '^[^"\\r\\n]$' },
            header: { type: 'boolean' },
            null: { type: 'string', maxLength: 32, pattern: '^[^"\\r\\n]*$' },
          },
        },
      },
    },
  },
};

const count = { type: 'integer', minimum: 0 };

export const loadResult: SchemaObject = {
  type: 'object',
  properties: {
    rows_loaded: count,
    rows_inserted: count,
    rows_updated: count,
    rows_deleted: count,
    bytes: count,
    duration_ms: count,
    objects: count,
    table: { type: 'string' },
    mode: { enum: [...LOAD_MODES] },
    replayed: { type: 'boolean', description: 'the ledger already held the key: nothing was loaded again, the counts are the first load\'s' },
    committed_at: { type: 'string', format: 'date-time' },
  },
};
