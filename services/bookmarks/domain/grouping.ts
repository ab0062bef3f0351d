import type { Group, ObjectVersion } from './types.js';

/**
 * Orders a batch by (partition, key) and cuts it into contiguous groups of at
 * most `targetBytes` each (Glue's groupFiles, within partitions). An object
 * larger than the target is a group of its own.
 */
export function groupObjects(
  objects: readonly ObjectVersion[],
  targetBytes: number,
  partitionOf: (key: string) => string | null,
): { objects: ObjectVersion[]; groups: Group[] } {
  const keyed = objects.map((o) => ({ o, p: partitionOf(o.key) }));
  keyed.sort((a, b) => cmp(a.p ?? '', b.p ?? '') || cmp(a.o.key, b.o.key) || cmp(a.o.last_modified, b.o.last_modified));
  const groups: Group[] = [];
  let current: { first: number; count: number; total_bytes: number; partition: string | null } | undefined;
  keyed.forEach(({ o, p }, index) => {
    if (!current || current.partition !== p || (current.count > 0 && current.total_bytes + o.size > targetBytes)) {
      if (current) groups.push(current);
      current = { first: index, count: 0, total_bytes: 0, partition: p };
    }
    current.count++;
    current.total_bytes += o.size;
  });
  if (current) groups.push(current);
  return { objects: keyed.map((k) => k.o), groups };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
