/**
 * The rule types AWS Glue Data Quality evaluates and this evaluator cannot: they inspect the
 * S3 files themselves (names, sizes, times, checksums), which a dataset's rows do not carry.
 * Evaluated here they are ERROR with this reason, and `dagwright validate` refuses them in a
 * dq_check, whose gate they would always fail. Kept free of DuckDB, for the spec checks.
 */
const FILE_RULES_REASON = 'File rules inspect S3 files; they run in AWS Glue Data Quality only';

export const CLOUD_ONLY_RULES: Readonly<Record<string, string>> = {
  FileMatch: FILE_RULES_REASON,
  FileUniqueness: FILE_RULES_REASON,
  FileFreshness: FILE_RULES_REASON,
  FileSize: FILE_RULES_REASON,
};
