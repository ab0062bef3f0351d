/**
 * Which keys under a source prefix are data. As Hadoop's FileInputFormat, Spark and Glue read
 * a prefix, a file or folder whose name starts with `.` (checksums, staging), or with `_` and
 * holds no `=` (`_SUCCESS`, `_temporary/`, dagwright's own `_dagwright/` outputs), is not:
 * a job marker re-written every hour must not make a batch, and a source at a bucket's root
 * must not read back what dq wrote there. Folder markers (`x/`) are not data either.
 */
export function isDataKey(relativeKey: string): boolean {
  if (relativeKey === '' || relativeKey.endsWith('/')) return false;
  return relativeKey.split('/').every((name) => !name.startsWith('.') && !(name.startsWith('_') && !name.includes('=')));
}
