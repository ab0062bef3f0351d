/**
 * Names that cross the seam between a spec, the DAG generated from it and the services it
 * calls. The spec schema and the services' request schemas both read them from here.
 */

/** A pipeline name is the DAG id: Airflow's dag_id characters, not starting with `.` or `-`. */
export const PIPELINE_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*$';
/** Airflow's longest dag_id (and task_id). */
export const PIPELINE_NAME_MAX_LENGTH = 250;
export const TASK_ID_MAX_LENGTH = 250;

/** A pipeline name as a JSON Schema (the spec's `name`, dq's `pipeline`). */
export const pipelineNameSchema = {
  type: 'string',
  pattern: PIPELINE_NAME_PATTERN,
  maxLength: PIPELINE_NAME_MAX_LENGTH,
} as const;

/** The bookmark a bookmark task begins and commits: `<pipeline>.<task id>`. */
export function bookmarkName(pipeline: string, taskId: string): string {
  return `${pipeline}.${taskId}`;
}

/** The Jinja expression a mapped service task renders its item with. */
export const ITEM_TEMPLATE = '{{ item }}';

/**
 * The bookmark of each copy of a mapped bookmark task: `<pipeline>.<task id>.<item>`, the item
 * rendered by the operator. Task ids are unique and hold no `.` of their own, so no other
 * bookmark of the pipeline can have this name.
 */
export function mappedBookmarkName(pipeline: string, taskId: string): string {
  return `${bookmarkName(pipeline, taskId)}.${ITEM_TEMPLATE}`;
}

/** What an item may render as in a bookmark name: the characters a bookmark name takes. */
export const BOOKMARK_ITEM_PATTERN = '^[A-Za-z0-9_.-]+$';

/** Bookmark names: the pipeline name's characters, long enough for `<dag_id>.<task_id>`. */
export const bookmarkNameSchema = {
  type: 'string',
  pattern: PIPELINE_NAME_PATTERN,
  maxLength: PIPELINE_NAME_MAX_LENGTH + 1 + TASK_ID_MAX_LENGTH,
} as const;

/**
 * A plain SQL identifier, as the loader accepts it for tables, keys and columns: the loader
 * checks it before any SQL sees a name, and quotes it anyway.
 */
export const IDENTIFIER_PATTERN = '^[A-Za-z_][A-Za-z0-9_$]*$';
/** The longest identifier any warehouse target takes (each target checks its own limit too). */
export const IDENTIFIER_MAX_LENGTH = 127;

export const identifierSchema = { type: 'string', pattern: IDENTIFIER_PATTERN, maxLength: IDENTIFIER_MAX_LENGTH } as const;

const IDENTIFIER_PART = `[A-Za-z_][A-Za-z0-9_$]{0,${IDENTIFIER_MAX_LENGTH - 1}}`;
/** `table` or `schema.table`, each part a plain identifier. */
export const TABLE_REF_PATTERN = `^${IDENTIFIER_PART}(\\.${IDENTIFIER_PART})?$`;

/** A loader warehouse (its `DAGWRIGHT_WAREHOUSE_<NAME>`, lower-cased). */
export const WAREHOUSE_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,62}$';

/** The longest S3 key prefix a bookmark lists (S3 keys are at most 1024 bytes). */
export const S3_PREFIX_MAX_LENGTH = 1024;
const S3_BUCKET = '(?![^/]*\\.\\.)(?!\\d+\\.\\d+\\.\\d+\\.\\d+(/|$))[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
const S3_PREFIX = `(?!/)(?![^]*//)[^\\x00-\\x1f\\x7f*?]{0,${S3_PREFIX_MAX_LENGTH}}`;
/** A bookmark's S3 source, `s3://bucket/prefix/`, as the bookmarks service parses it. */
export const S3_SOURCE_PATTERN = `^s3://${S3_BUCKET}(/${S3_PREFIX})?$`;
