/**
 * The JSON Schema of a dagwright/v1 pipeline spec: the public contract. `dagwright schema`
 * prints it for editors; validation uses the same pieces, task type by task type, so that
 * each mistake is reported against the task type the user meant.
 */
import {
  BATCH_SIZE_PATTERN,
  BOOKMARK_LOOKBACK_MAX,
  CUSTOM_ERROR_CODE_PATTERN,
  ERROR_CODE_OR_ALL_PATTERN,
  identifierSchema,
  LOAD_MAX_KEYS,
  LOAD_MODES,
  ON_VIOLATION,
  PARTITIONING,
  pipelineNameSchema,
  RULESET_MAX_LENGTH,
  S3_SOURCE_PATTERN,
  SPEC_DATA_FORMATS,
  type SpecDataFormat,
  TABLE_REF_PATTERN,
  URI_MAX_LENGTH,
  WAREHOUSE_NAME_PATTERN,
} from '../contract/index.js';
import { ASSET_URI_MAX_LENGTH } from './asset-uri.js';
import { SCHEDULE_SEMANTICS } from './cron.js';
import { DURATION_PATTERN, POSITIVE_DURATION_PATTERN } from './duration.js';

/** A schema as plain JSON; the pieces below keep their literal types so that `types.ts` derives the spec's types from them. */
type JsonSchema = Record<string, unknown>;

export const TASK_ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
export const IMPORT_PATH_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$';
export const SNS_ARN_PATTERN = '^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$';

/**
 * What a value that breaks a field's pattern is told (ajv-errors' `errorMessage`): validate
 * writes it after the value, and editors show it as it is.
 */
const expecting = (expected: string) => ({ errorMessage: { pattern: `expected ${expected}` } }) as const;

/** What a value that fits none of a union's shapes is told (ajv-errors' `errorMessage`). */
const shapes = (message: string) => ({ errorMessage: { anyOf: message } }) as const;

const duration = {
  type: 'string',
  pattern: DURATION_PATTERN,
  description: 'A duration such as 90s, 5m, 2h, 1d or 1h30m.',
  ...expecting('a duration such as 90s, 5m, 2h, 1d or 1h30m'),
} as const;
const positiveDuration = {
  type: 'string',
  pattern: POSITIVE_DURATION_PATTERN,
  description: 'A duration longer than zero, such as 90s, 5m, 2h, 1d or 1h30m.',
  ...expecting('a duration longer than zero, such as 90s, 5m, 2h, 1d or 1h30m'),
} as const;

/** Whether a field holds a duration (its value is checked as one, and reported as spec.bad-duration). */
export function isDurationSchema(schema: object): boolean {
  const pattern = (schema as { pattern?: unknown }).pattern;
  return pattern === DURATION_PATTERN || pattern === POSITIVE_DURATION_PATTERN;
}

const s3Source = expecting('an S3 URI such as s3://bucket/prefix/ (a bucket name is 3 to 63 lower-case letters, digits, dots and hyphens)');
const warehouseName = expecting("a warehouse name: a lower-case letter, then up to 62 lower-case letters, digits, _ or - (the loader's DAGWRIGHT_WAREHOUSE_<NAME>)");
const plainIdentifier = expecting('a plain identifier: a letter or _, then letters, digits, _ or $');
const snsArn = expecting('an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts');
const text = (description: string) => ({ type: 'string', minLength: 1, description }) as const;
const stringList = (description: string) =>
  ({
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description,
  }) as const;
const enumOf = <const Values extends readonly string[]>(values: Values, description: string) =>
  ({ enum: [...values] as Values[number][], description }) as const;
/** A field's default: validation writes it into a spec that leaves the field out, so the model reads one value. */
const withDefault = <const Schema extends object, const Value>(schema: Schema, value: Value) => ({ ...schema, default: value }) as const;

const SPEC_DATA_FORMAT_NAMES = Object.keys(SPEC_DATA_FORMATS) as SpecDataFormat[];

const semantics = enumOf(
  SCHEDULE_SEMANTICS,
  'interval (default): a run covers the interval that just ended, and its logical date (ds) is that interval\'s start, as on Airflow 2.x. trigger: the logical date is the time the run was due, with an empty data interval.',
);

export const TRIGGER_RULES = [
  'all_success',
  'all_failed',
  'all_done',
  'all_skipped',
  'one_success',
  'one_failed',
  'one_done',
  'none_failed',
  'none_failed_min_one_success',
  'none_skipped',
  'always',
] as const;

/** The timing fields shared by the map form and by each per-error policy. */
const retryTiming = {
  attempts: { type: 'integer', minimum: 0, maximum: 100, description: 'How many times to retry (0: never, fail fast).' },
  delay: { ...duration, description: 'The wait before the first retry (for policies, Retry-After wins when longer).' },
  backoff: enumOf(['fixed', 'exponential'], 'exponential doubles the wait at every retry.'),
  max_delay: { ...duration, description: 'The longest wait between two retries, with exponential backoff (Airflow ignores it with fixed backoff; validate warns).' },
} as const;

export const retryMap = {
  type: 'object',
  description: "Airflow's own retries: every failure is retried the same way (sensors are never retried).",
  additionalProperties: false,
  properties: retryTiming,
} as const;

export const retryPolicy = {
  type: 'object',
  description: 'One policy per error kind, Step Functions style. Service errors no policy lists fail at once; failures that are not service errors (a lost worker, a timeout) get 2 Airflow retries.',
  additionalProperties: false,
  required: ['on', 'attempts'],
  properties: {
    on: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: ERROR_CODE_OR_ALL_PATTERN, ...expecting('an error code such as Redshift.UnavailableException, or ALL') },
      description: 'Error codes (docs/service-protocol.md, or declared in error_codes), a dotted prefix of codes, or ALL.',
    },
    ...retryTiming,
  },
} as const;

const retry = {
  description: 'A map for uniform retries, or a list of per-error policies.',
  anyOf: [retryMap, { type: 'array', items: retryPolicy }],
  ...shapes('must be a map {attempts, delay, backoff, max_delay} or a list of policies [{on: [codes], attempts, delay}]'),
} as const;

export const forEach = {
  description: 'Fan-out with dynamic task mapping (bash, python, bookmark, dq_check, load): a list of values, or {from: <task>} to map over its output.',
  anyOf: [
    { type: 'array', items: { type: ['string', 'number', 'boolean'] }, minItems: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['from'],
      properties: {
        from: text('The task whose return value (a list) is mapped over.'),
        max_parallel: { type: 'integer', minimum: 1, description: 'At most this many mapped copies run at once.' },
      },
    },
  ],
  ...shapes('must be a list of values or {from: <task>, max_parallel: N}'),
} as const;

const assetUri = {
  type: 'string',
  minLength: 1,
  description: `An asset URI (a Dataset on Airflow 2.x): printable ASCII, at most ${ASSET_URI_MAX_LENGTH} characters, scheme://authority/path without user info, ?query or #fragment, an x- scheme, or a plain name.`,
} as const;

/** `{any: [...]}` or `{all: [...]}`, each member a URI or a condition in turn. */
const ASSET_CONDITION_REF = { $ref: '#/$defs/asset_condition' };
const assetGroups: JsonSchema[] = (['any', 'all'] as const).map((key) => ({
  type: 'object',
  additionalProperties: false,
  required: [key],
  properties: {
    [key]: {
      type: 'array',
      minItems: 1,
      items: ASSET_CONDITION_REF,
      description: key === 'any' ? 'Runs when any of these is updated.' : 'Runs once every one of these has been updated.',
    },
  },
}));

/** The recursive asset condition, kept in the schema's $defs. */
export const ASSET_CONDITION_DEFS: Record<string, JsonSchema> = {
  asset_condition: {
    description: 'An asset URI, {any: [...]} or {all: [...]}.',
    anyOf: [assetUri, ...assetGroups],
    ...shapes('an asset condition is an asset URI, {any: [...]} or {all: [...]}'),
  },
};

const scheduleAssets: JsonSchema = {
  description: 'A list of asset URIs or conditions (the run waits for all of them), {any: [...]} or {all: [...]}; conditions nest.',
  anyOf: [{ type: 'array', minItems: 1, items: ASSET_CONDITION_REF }, ...assetGroups],
  ...shapes('must be a non-empty list of asset URIs or conditions (all of them), {any: [...]} or {all: [...]}'),
};

const outlets = {
  type: 'array',
  items: assetUri,
  description: "Asset URIs this task updates when it succeeds (Airflow outlets). A load's default is its table's asset, dagwright://<warehouse>/<table>; [] produces none.",
} as const;

/** Fields every task type accepts. */
const commonTaskProperties = {
  type: text('The task type.'),
  doc: text('Documentation shown in the Airflow UI (Markdown).'),
  after: stringList('Tasks or groups this task runs after.'),
  retry,
  timeout: { ...positiveDuration, description: 'How long one try may take, deferred waits included (execution_timeout); for sensors, how long to wait in all (a sensor is never retried); for glue_job, the Glue run\'s own Timeout in whole minutes, rounded up.' },
  pool: text('The Airflow pool that bounds how many such tasks run at once (backpressure).'),
  pool_slots: { type: 'integer', minimum: 1, description: 'Pool slots this task takes.' },
  trigger_rule: enumOf(TRIGGER_RULES, 'When the task runs, given its upstream states.'),
  for_each: forEach,
  outlets,
} as const;

const sensorMode = withDefault(
  enumOf(['deferrable', 'reschedule'], 'How the sensor frees its worker slot while waiting: deferral to the triggerer (default) or reschedule.'),
  'deferrable',
);

/** Fields of each task type, beyond the common ones. */
export const TASK_TYPE_PROPERTIES = {
  s3_sensor: {
    required: ['bucket', 'key'],
    properties: {
      bucket: text('The S3 bucket.'),
      key: text('The key (Jinja-templated) that must exist, e.g. orders/dt={{ ds }}/_SUCCESS.'),
      wildcard: withDefault({ type: 'boolean', description: 'Treat key as a Unix wildcard pattern.' }, false),
      aws_conn_id: text('The Airflow AWS connection (default aws_default).'),
      poke_interval: { ...positiveDuration, description: 'How often to check.' },
      mode: sensorMode,
    },
  },
  bookmark: {
    required: ['source'],
    properties: {
      source: { type: 'string', pattern: S3_SOURCE_PATTERN, description: 'The S3 prefix to process incrementally: s3://bucket/prefix/, the prefix at most 1024 characters, without *, ? or empty segments.', ...s3Source },
      partitioning: withDefault(enumOf(PARTITIONING, 'hive: dt=YYYY-MM-DD/ or year=/month=/day=/ partitions.'), 'none'),
      tolerance: { ...duration, description: 'How long after the high mark late objects are still looked for (15m; at most 7d).' },
      lookback: { type: 'integer', minimum: 0, maximum: BOOKMARK_LOOKBACK_MAX, description: 'Partitions before the committed one to list again (at most 366).' },
      batch_size: { type: 'string', pattern: BATCH_SIZE_PATTERN, description: 'Target batch group size, above zero (128MB).', ...expecting('a size such as 128MB') },
      connection: text('The Airflow connection of the bookmarks service (dagwright_bookmarks).'),
    },
  },
  dq_check: {
    required: ['ruleset'],
    properties: {
      ruleset: { ...text('A DQDL ruleset, e.g. Rules = [ IsComplete "order_id" ].'), maxLength: RULESET_MAX_LENGTH },
      on_violation: withDefault(enumOf(ON_VIOLATION, 'What failing rows or rules do (fail). With quarantine, the passed rows handed on are Parquet.'), 'fail'),
      input: text('The upstream task whose batch is checked (default: the nearest bookmark upstream).'),
      dataset: { ...text('An explicit dataset instead of an input task: an s3:// prefix or a local path.'), maxLength: URI_MAX_LENGTH },
      format: enumOf(SPEC_DATA_FORMAT_NAMES, 'The format of the data checked; json means JSON lines. Inferred from the object names when absent.'),
      connection: text('The Airflow connection of the dq service (dagwright_dq).'),
    },
  },
  warehouse_available: {
    required: ['warehouse'],
    properties: {
      warehouse: { type: 'string', pattern: WAREHOUSE_NAME_PATTERN, description: 'The loader warehouse to check (its DAGWRIGHT_WAREHOUSE_<NAME>, lower case).', ...warehouseName },
      poke_interval: { ...positiveDuration, description: 'How often to check.' },
      mode: sensorMode,
      connection: text('The Airflow connection of the loader service (dagwright_loader).'),
    },
  },
  load: {
    required: ['warehouse', 'table', 'mode'],
    properties: {
      warehouse: { type: 'string', pattern: WAREHOUSE_NAME_PATTERN, description: 'The loader warehouse to load into (its DAGWRIGHT_WAREHOUSE_<NAME>, lower case).', ...warehouseName },
      table: { type: 'string', pattern: TABLE_REF_PATTERN, description: 'table or schema.table, plain identifiers of at most 127 characters.', ...expecting('a plain identifier such as schema.table') },
      mode: enumOf(LOAD_MODES, 'append inserts; merge upserts on keys; replace swaps the contents.'),
      keys: { type: 'array', maxItems: LOAD_MAX_KEYS, items: { ...identifierSchema, ...plainIdentifier }, description: 'The merge keys: at most 32 plain identifiers.' },
      order_by: { ...identifierSchema, description: 'With merge: the column that picks the last row among duplicate keys in one batch (a plain identifier).', ...plainIdentifier },
      input: text('The upstream task whose batch is loaded (default: the nearest dq_check or bookmark upstream).'),
      source: {
        type: 'string',
        pattern: S3_SOURCE_PATTERN,
        description: 'Load this S3 location directly instead of an upstream batch (Jinja-templated, e.g. s3://sales/{{ item }}/dt={{ ds }}/): a prefix ending in / (or a bare bucket) loads every data object under it (as a bookmark lists it: not _ or . files or folders), anything else that one object.',
        ...s3Source,
      },
      aws_conn_id: text('With source: the Airflow AWS connection that lists the prefix (default aws_default).'),
      format: enumOf(
        SPEC_DATA_FORMAT_NAMES,
        'The format of the data loaded; json means JSON lines. Inferred from the object names when absent. After a quarantining dq_check the data is Parquet: leave format out, or set parquet.',
      ),
      allow_new_columns: withDefault({ type: 'boolean', description: 'Add new nullable columns instead of failing on drift.' }, false),
      connection: text('The Airflow connection of the loader service (dagwright_loader).'),
    },
  },
  glue_job: {
    required: ['job_name'],
    properties: {
      job_name: text('The Glue job.'),
      script_args: { type: 'object', additionalProperties: { type: 'string' }, description: 'Job arguments.' },
      bookmarks: enumOf(['enable', 'disable', 'pause'], 'The Glue job bookmark option.'),
      region: text('The AWS region.'),
      aws_conn_id: text('The Airflow AWS connection (default aws_default).'),
    },
  },
  notify: {
    required: ['sns', 'message'],
    properties: {
      sns: { type: 'string', pattern: SNS_ARN_PATTERN, description: 'The SNS topic ARN.', ...snsArn },
      message: text('The message (Jinja-templated).'),
      subject: text('The subject.'),
      aws_conn_id: text('The Airflow AWS connection (default aws_default).'),
    },
  },
  http: {
    required: ['connection', 'endpoint'],
    properties: {
      connection: text('The Airflow HTTP connection.'),
      endpoint: text('The path, e.g. /v1/refresh (Jinja-templated).'),
      method: withDefault(enumOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], 'The HTTP method (GET).'), 'GET'),
      json: { description: 'A JSON body.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra headers.' },
      expected_status: { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 }, description: 'Accepted statuses (2xx).' },
    },
  },
  bash: {
    required: ['command'],
    properties: {
      command: text('The bash command (Jinja-templated).'),
      env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Environment variables.' },
      cwd: text('The working directory.'),
    },
  },
  python: {
    required: ['callable'],
    properties: {
      callable: { type: 'string', pattern: IMPORT_PATH_PATTERN, description: 'package.module:function', ...expecting('an import path such as package.module:function') },
      kwargs: { type: 'object', description: 'Keyword arguments for the function.' },
    },
  },
  empty: { required: [], properties: {} },
  group: {
    required: ['tasks'],
    properties: {
      tasks: { type: 'object', description: 'The tasks of this TaskGroup, by id.' },
    },
  },
} as const satisfies Record<string, { required: readonly string[]; properties: Record<string, JsonSchema> }>;

export type TaskTypeName = keyof typeof TASK_TYPE_PROPERTIES;
export const TASK_TYPES = Object.keys(TASK_TYPE_PROPERTIES) as TaskTypeName[];

export function isTaskType(name: string): name is TaskTypeName {
  return Object.hasOwn(TASK_TYPE_PROPERTIES, name);
}

type CommonTaskProperties<T extends TaskTypeName> = Omit<typeof commonTaskProperties, 'type' | (T extends 'group' ? 'outlets' : never)>;

/** What `taskSchema(type)` builds, as a type: `types.ts` derives each task type's fields from it. */
export interface TaskSchema<T extends TaskTypeName> {
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly required: readonly ['type', ...(typeof TASK_TYPE_PROPERTIES)[T]['required']];
  readonly properties: CommonTaskProperties<T> & (typeof TASK_TYPE_PROPERTIES)[T]['properties'] & { readonly type: { readonly const: T } };
}

/** The schema of one task type: common fields plus the type's own. */
export function taskSchema(type: TaskTypeName): JsonSchema {
  const own = TASK_TYPE_PROPERTIES[type];
  const common: Record<string, JsonSchema> = { ...commonTaskProperties };
  // A group updates no asset itself: its tasks do.
  if (type === 'group') delete common['outlets'];
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...own.required],
    properties: { ...common, ...own.properties, type: { const: type } },
  };
}

/** The pipeline's top level, with tasks checked separately per type. */
export const pipelineSchema = {
  $defs: ASSET_CONDITION_DEFS,
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'name', 'schedule', 'start_date', 'tasks'],
  properties: {
    apiVersion: { const: 'dagwright/v1', description: 'Always dagwright/v1.' },
    kind: { const: 'Pipeline', description: 'Always Pipeline.' },
    name: { ...pipelineNameSchema, description: 'The dag_id, and the pipeline name the dq and bookmarks services see: letters, digits, _, . and -, not starting with . or -, at most 250 characters.', ...expecting('letters, digits, _ . - (it becomes the dag_id)') },
    description: text('Shown in the Airflow UI.'),
    owner: withDefault(text('The owner shown in the Airflow UI.'), 'airflow'),
    tags: withDefault(stringList('Tags shown in the Airflow UI.'), []),
    schedule: {
      description:
        'A preset (@hourly), a cron string, {cron: <preset or cron>, semantics}, {every: 30m, semantics}, {assets: <condition>}, {cron or every, semantics, assets: <condition>} (assets or time), or null.',
      anyOf: [
        { type: 'null' },
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          additionalProperties: false,
          required: ['cron'],
          properties: { cron: { type: 'string', minLength: 1, description: 'A periodic preset (@hourly) or a cron string.' }, semantics, assets: scheduleAssets },
        },
        { type: 'object', additionalProperties: false, required: ['every'], properties: { every: positiveDuration, semantics, assets: scheduleAssets } },
        {
          type: 'object',
          additionalProperties: false,
          required: ['assets'],
          properties: { assets: scheduleAssets },
        },
      ],
      ...shapes(
        'must be a preset (@hourly), a cron string, {cron: <cron>, semantics: interval|trigger}, {every: <duration>, semantics: interval|trigger}, {assets: <condition>}, {cron or every, semantics, assets: <condition>} or null',
      ),
    },
    start_date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD.', ...expecting('a date written YYYY-MM-DD') },
    timezone: withDefault(text('The IANA time zone of start_date and of cron schedules (UTC).'), 'UTC'),
    catchup: withDefault({ type: 'boolean', description: 'Run the intervals missed since start_date (false).' }, false),
    max_active_runs: { type: 'integer', minimum: 1, description: 'Concurrent runs of this DAG.' },
    max_active_tasks: { type: 'integer', minimum: 1, description: 'Concurrent tasks of one run.' },
    airflow: { type: 'string', pattern: '^\\d+\\.\\d+$', description: 'The target Airflow version, e.g. "2.10".', ...expecting('a version such as "2.10" or "3.0"') },
    defaults: {
      type: 'object',
      additionalProperties: false,
      description: 'Applies to every task unless the task overrides it.',
      properties: {
        retry: retryMap,
        timeout: { ...positiveDuration, description: 'The timeout of every task (see a task\'s timeout).' },
        pool: text('The Airflow pool.'),
      },
    },
    error_codes: {
      type: 'array',
      items: { type: 'string', pattern: CUSTOM_ERROR_CODE_PATTERN, ...expecting('a dotted error code such as Acme.Unavailable (ALL is reserved)') },
      description:
        'Error codes of your own that retry policies may name, beyond the ones dagwright knows (docs/service-protocol.md): e.g. the problem+json codes an http task\'s endpoint returns. A policy\'s code must be a known or declared code, or a dotted prefix of one.',
    },
    sla: { ...positiveDuration, description: 'The whole run must finish within this time of its scheduled time (on 3.1, of when it is queued); needs a periodic schedule on 2.x, rejected on 3.0.' },
    on_failure: {
      type: 'object',
      additionalProperties: false,
      required: ['sns'],
      description: 'Notify on a final task failure (and on a missed SLA or deadline).',
      properties: {
        sns: { type: 'string', pattern: SNS_ARN_PATTERN, description: 'The SNS topic ARN.', ...snsArn },
        aws_conn_id: text('The Airflow AWS connection (default aws_default).'),
      },
    },
    tasks: { type: 'object', minProperties: 1, description: 'The tasks, by id.' },
  },
} as const;

/** The whole schema, as published for editors (`dagwright schema`). */
export function publishedSchema(): JsonSchema {
  const taskRef = { $ref: '#/$defs/task' };
  const byType = TASK_TYPES.map((type) => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { $ref: `#/$defs/task_${type}` },
  }));
  const defs: Record<string, JsonSchema> = {
    task: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: TASK_TYPES } },
      allOf: byType,
    },
  };
  for (const type of TASK_TYPES) {
    const schema = taskSchema(type);
    if (type === 'group') {
      const properties = schema['properties'] as Record<string, JsonSchema>;
      properties['tasks'] = { type: 'object', additionalProperties: taskRef };
    }
    defs[`task_${type}`] = schema;
  }
  const properties = { ...(pipelineSchema['properties'] as Record<string, JsonSchema>) };
  properties['tasks'] = { type: 'object', minProperties: 1, additionalProperties: taskRef };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://dagwright.dev/schema/pipeline-v1.json',
    title: 'dagwright pipeline spec (dagwright/v1)',
    ...pipelineSchema,
    properties,
    $defs: { ...ASSET_CONDITION_DEFS, ...defs },
  };
}
