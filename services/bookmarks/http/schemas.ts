import { batchManifestCountSchema, batchManifestSha256Schema, batchManifestUriSchema, BOOKMARK_LOOKBACK_MAX, BOOKMARK_TOLERANCE_MAX_SECONDS, bookmarkNameSchema, PARTITIONING, URI_MAX_LENGTH } from '../../../src/contract/index.js';
import type { SchemaObject } from '../../kit/validation.js';

/** Bookmark names: a generated DAG's are `<dag_id>.<task_id>` (src/contract). */
const name = bookmarkNameSchema;
/** Visible ASCII except `/`: Airflow run ids (`scheduled__2026-01-01T00:00:00+00:00`) fit. */
export const RUN_ID_PATTERN = '^[\\x21-\\x2e\\x30-\\x7e]{1,250}$';
const IDENT = '^[A-Za-z_][A-Za-z0-9_$]*$';

export const nameParams: SchemaObject = {
  type: 'object',
  properties: { name },
};

export const runParams: SchemaObject = {
  type: 'object',
  properties: { name, run_id: { type: 'string', pattern: RUN_ID_PATTERN } },
};

export const glueParams: SchemaObject = {
  type: 'object',
  properties: { job: { type: 'string', pattern: '^[\\x21-\\x2e\\x30-\\x7e]{1,255}$' } },
};

export const beginBody: SchemaObject = {
  type: 'object',
  required: ['run_id', 'source'],
  additionalProperties: false,
  properties: {
    run_id: { type: 'string', pattern: RUN_ID_PATTERN, description: 'The Airflow run id; a retry of the same run gets the same batch.' },
    source: { type: 'string', minLength: 1, maxLength: URI_MAX_LENGTH, description: '`s3://bucket/prefix/`, or `table://<connection>/<schema>.<table>`.' },
    partitioning: { type: 'string', enum: [...PARTITIONING], description: 'S3: list only recent hive partitions (`dt=` or `year=/month=/day=`). Default `none`.' },
    tolerance_seconds: { type: 'integer', minimum: 0, maximum: BOOKMARK_TOLERANCE_MAX_SECONDS, description: 'S3: the band before the high mark where late objects are still picked up. Default 900.' },
    lookback_partitions: { type: 'integer', minimum: 0, maximum: BOOKMARK_LOOKBACK_MAX, description: 'S3, hive: partitions before the committed one to list again (days for date values). Default 1.' },
    target_batch_bytes: { type: 'integer', minimum: 1, description: 'S3: the size groups are cut toward. Default 134217728 (128 MiB).' },
    keys: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'string', pattern: IDENT }, description: 'Table sources: the strictly increasing bookmark keys.' },
  },
};

export const emptyBody: SchemaObject = { type: 'object', additionalProperties: false, properties: {} };

export const rewindBody: SchemaObject = {
  type: 'object',
  required: ['run_id'],
  additionalProperties: false,
  properties: { run_id: { type: 'string', pattern: RUN_ID_PATTERN } },
};

export const glueResetBody: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: { run_id: { type: 'string', minLength: 1, maxLength: 255 } },
};

export const historyQuery: SchemaObject = {
  type: 'object',
  properties: {
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
    before: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' },
    action: {
      type: 'string',
      enum: ['created', 'run.begun', 'run.committed', 'run.abandoned', 'enabled', 'paused', 'disabled', 'reset', 'rewound', 'glue.reset'],
    },
  },
};

export const limitQuery: SchemaObject = {
  type: 'object',
  properties: { limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } },
};

const objectVersion = {
  type: 'object',
  properties: { key: { type: 'string' }, etag: { type: 'string' }, size: { type: 'integer' }, last_modified: { type: 'string', format: 'date-time' } },
};

/** The `begin` job's result. */
export const beginResult: SchemaObject = {
  type: 'object',
  properties: {
    run_id: { type: 'string' },
    bookmark: { type: 'string' },
    source: { type: 'string' },
    batch: {
      description:
        'S3: `{objects, total_bytes}`; a batch of more than DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS objects (default 1000) as `{manifest, source, count, total_bytes}`, a reference to its JSON-lines manifest in S3. Table: `{range: {keys, after, through}}` (after exclusive, through inclusive).',
      type: 'object',
      properties: {
        objects: { type: 'array', items: objectVersion },
        manifest: batchManifestUriSchema,
        source: { type: 'string' },
        count: batchManifestCountSchema,
        sha256: batchManifestSha256Schema,
        total_bytes: { type: 'integer' },
        range: { type: 'object' },
      },
    },
    groups: {
      description: 'Contiguous slices `batch.objects[first, first+count)` (of a manifest: its lines), one partition each, toward target_batch_bytes.',
      type: 'array',
      items: { type: 'object', properties: { first: { type: 'integer' }, count: { type: 'integer' }, total_bytes: { type: 'integer' }, partition: { type: ['string', 'null'] } } },
    },
  },
};
