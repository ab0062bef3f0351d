/**
 * Which keys under a source prefix are data, for every service that reads a prefix. As
 * Hadoop's FileInputFormat, Spark and Glue read one, a file or folder whose name starts with
 * `.` (checksums, staging), or with `_` and holds no `=` (`_SUCCESS`, `_temporary/`,
 * dagwright's own `_dagwright/` outputs), is not: a job marker re-written every hour must not
 * make a batch, and a source at a bucket's root must not read back what dq wrote there.
 * Neither are folder markers (`x/`, and Hadoop's `x_$folder$`) nor a copy still in flight
 * (`hadoop fs -put` writes `<name>._COPYING_`, then renames it).
 */
export function isDataKey(relativeKey: string): boolean {
  if (relativeKey === '' || relativeKey.endsWith('/')) return false;
  const names = relativeKey.split('/');
  const last = names[names.length - 1] ?? '';
  if (last.endsWith('_$folder$') || last.endsWith('._COPYING_')) return false;
  return names.every((name) => !name.startsWith('.') && !(name.startsWith('_') && !name.includes('=')));
}
