/** JSON Schemas of the dq service's requests and results. */
import { batchManifestCountSchema, batchManifestSha256Schema, batchManifestUriSchema, DATA_FORMATS, ON_VIOLATION, pipelineNameSchema, RULESET_MAX_LENGTH, URI_MAX_LENGTH } from '../../../src/contract/index.js';
import { METRICS_SCHEMA } from '@dagwright/dqdl';
import type { SchemaObject } from '../../kit/validation.js';

/** Names of stored rulesets (the dq service's own; pipeline names come from src/contract). */
export const RULESET_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$';
const RUN_ID_PATTERN = '^[\\x21-\\x7e]{1,250}$';

const objectRef: SchemaObject = {
  anyOf: [
    { type: 'string', minLength: 1, maxLength: 2048 },
    {
      type: 'object',
      required: ['key'],
      properties: {
        key: { type: 'string', minLength: 1, maxLength: 2048 },
        bucket: { type: 'string', maxLength: 63 },
        size: { type: 'integer', minimum: 0 },
        etag: { type: 'string', maxLength: 200 },
        last_modified: { type: 'string', maxLength: 64 },
      },
    },
  ],
};

export const dataset: SchemaObject = {
  description:
    '`s3://bucket/prefix/`, `s3://bucket/key`, an allowed local path, a batch `{objects: [...], source?}` (a bookmarks batch as it comes), or a large batch as a reference to its manifest `{manifest, source?, count?, total_bytes?}`.',
  anyOf: [
    { type: 'string', minLength: 1, maxLength: URI_MAX_LENGTH },
    {
      type: 'object',
      properties: {
        source: { type: 'string', maxLength: 2048 },
        bucket: { type: 'string', maxLength: 63 },
        objects: { type: 'array', maxItems: 100000, items: objectRef },
        batch: { type: 'object', properties: { objects: { type: 'array', maxItems: 100000, items: objectRef } } },
        manifest: batchManifestUriSchema,
        count: batchManifestCountSchema,
        sha256: batchManifestSha256Schema,
        total_bytes: { type: 'integer', minimum: 0 },
      },
    },
  ],
};

export const evaluationBody: SchemaObject = {
  type: 'object',
  required: ['ruleset', 'dataset'],
  additionalProperties: false,
  properties: {
    ruleset: {
      description: 'DQDL text, or {name} of a ruleset stored with PUT /v1/rulesets/{name}.',
      anyOf: [
        { type: 'string', minLength: 1, maxLength: RULESET_MAX_LENGTH },
        { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', pattern: RULESET_NAME_PATTERN } } },
      ],
    },
    dataset,
    format: { type: 'string', enum: [...DATA_FORMATS], description: 'Inferred from the object names (or contents) when absent.' },
    on_violation: { type: 'string', enum: [...ON_VIOLATION], default: 'fail', description: 'quarantine: failing rows go aside, the job succeeds (unless a rule is ERROR: DQ.RulesFailed, nothing published); fail: the job fails with DQ.RulesFailed when a rule is FAIL or ERROR; warn: the job succeeds.' },
    pipeline: { ...pipelineNameSchema, description: 'The pipeline (DAG id); partitions quarantine and keys metric history.' },
    run_id: { type: 'string', pattern: RUN_ID_PATTERN, description: 'The Airflow run id.' },
    references: { type: 'object', maxProperties: 16, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,63}$' }, additionalProperties: dataset, description: 'Reference datasets by alias (ReferentialIntegrity, DatasetMatch, RowCountMatch, SchemaMatch, AggregateMatch).' },
    output: { type: 'string', maxLength: 2048, description: 'Root of passed/ and quarantine/ (s3://bucket/prefix/); DAGWRIGHT_DQ_OUTPUT, else s3://<dataset bucket>/_dagwright/dq/.' },
    dt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The dt= partition; from the run id, else the day of the first request.' },
    engine: { type: 'string', enum: ['duckdb', 'glue'], default: 'duckdb' },
    glue: {
      type: 'object',
      required: ['database', 'table'],
      additionalProperties: false,
      properties: { database: { type: 'string', minLength: 1, maxLength: 255 }, table: { type: 'string', minLength: 1, maxLength: 255 }, catalog_id: { type: 'string', maxLength: 255 }, role_arn: { type: 'string', maxLength: 2048 } },
    },
    history_key: { type: 'string', minLength: 1, maxLength: 512, description: 'Where dynamic rules keep metric history; default: pipeline, ruleset and dataset.' },
    limits: {
      type: 'object',
      additionalProperties: false,
      description: "Less than the service's maximum time or memory for this evaluation (more is 400 Request.Invalid). Past either the job fails with DQ.TimeLimitExceeded or DQ.MemoryLimitExceeded.",
      properties: {
        time_seconds: { type: 'integer', minimum: 1, description: 'Wall-clock seconds; DAGWRIGHT_DQ_TIME_LIMIT_SECONDS at most.' },
        memory_mb: { type: 'integer', minimum: 64, description: 'Resident memory of the evaluation (DuckDB included), in MB (10^6 bytes); DAGWRIGHT_DQ_MEMORY_LIMIT at most.' },
      },
    },
  },
};

/** Metrics: numbers, or "NaN", "Infinity", "-Infinity" (packages/dqdl/src/metric-values.ts). */
const metrics = { ...METRICS_SCHEMA, description: 'Metric name → value: a number, or "NaN", "Infinity", "-Infinity" for non-finite values (as the AWS JSON protocols write doubles, so as Glue\'s EvaluatedMetrics read).' };
const ruleResult = { type: 'object', properties: { name: { type: 'string' }, rule: { type: 'string' }, result: { type: 'string', enum: ['PASS', 'FAIL', 'ERROR'], description: 'ERROR: the rule could not be evaluated (an unknown column, an invalid where clause, CustomSql that does not bind, ...); message says why. The other rules are evaluated as usual.' }, message: { type: 'string' }, metrics, labels: { type: 'object', additionalProperties: { type: 'string' } } } };
const analyzerResult = { type: 'object', properties: { name: { type: 'string' }, analyzer: { type: 'string' }, message: { type: 'string' }, metrics } };

export const evaluationResult: SchemaObject = {
  type: 'object',
  properties: {
    evaluation_id: { type: 'string' },
    outcome: { type: 'string', enum: ['passed', 'failed'] },
    score: { type: 'number' },
    rows_in: { type: 'integer' },
    rows_passed: { type: 'integer' },
    rows_quarantined: { type: 'integer' },
    rules: { type: 'array', items: ruleResult },
    analyzers: { type: 'array', items: analyzerResult },
    batch: { description: 'What a following load reads: the passed rows (Parquet) when quarantining, else the input dataset (an s3:// prefix as the objects evaluated).' },
    quarantine: { type: 'object', description: 'The quarantined rows: {source, objects, total_bytes, format}.' },
    dt: { type: 'string' },
  },
};

export const idParams: SchemaObject = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' } } };
export const nameParams: SchemaObject = { type: 'object', properties: { name: { type: 'string', pattern: RULESET_NAME_PATTERN } } };

export const listQuery: SchemaObject = {
  type: 'object',
  required: ['pipeline'],
  properties: {
    pipeline: pipelineNameSchema,
    run_id: { type: 'string', pattern: RUN_ID_PATTERN },
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  },
};

export const rulesetBody: SchemaObject = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: { text: { type: 'string', minLength: 1, maxLength: RULESET_MAX_LENGTH } },
};
