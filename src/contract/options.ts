/** Enumerations and limits of the service options a spec sets. */

/** `load.mode`, the loader's `mode`. */
export const LOAD_MODES = ['append', 'merge', 'replace'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];
/** The most merge keys a load takes. */
export const LOAD_MAX_KEYS = 32;

/** `dq_check.on_violation`, the dq service's `on_violation`. */
export const ON_VIOLATION = ['quarantine', 'fail', 'warn'] as const;
export type OnViolation = (typeof ON_VIOLATION)[number];
/** The longest DQDL ruleset text the dq service takes. */
export const RULESET_MAX_LENGTH = 262144;

/** `bookmark.partitioning`, the bookmarks service's `partitioning`. */
export const PARTITIONING = ['hive', 'none'] as const;
export type Partitioning = (typeof PARTITIONING)[number];
/** `bookmark.tolerance` → `tolerance_seconds`: at most a week. */
export const BOOKMARK_TOLERANCE_MAX_SECONDS = 604800;
/** `bookmark.lookback` → `lookback_partitions`: at most a year of daily partitions. */
export const BOOKMARK_LOOKBACK_MAX = 366;
/** `bookmark.batch_size` → `target_batch_bytes`: a size such as 128MB, above zero. */
export const BATCH_SIZE_PATTERN = '^[1-9][0-9]*(B|KB|MB|GB)$';

/** The longest dataset URI or S3 source the services take. */
export const URI_MAX_LENGTH = 2048;
