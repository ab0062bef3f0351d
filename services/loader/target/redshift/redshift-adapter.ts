import type { TargetAdapter } from '../target.js';

/**
 * Redshift: MERGE exists (with a source free of duplicate keys, which the
 * dedupe step guarantees); COPY loads slices in parallel, so staged rows have
 * no load order and ties on the ordering column are broken by the whole row;
 * names up to 127 bytes; 1,600 columns a table; a one-byte CSV delimiter; primary keys and unique constraints are not
 * enforced; loads always stage (a Parquet COPY maps columns by position).
 */
export const redshiftAdapter: TargetAdapter = {
  supportsMerge: true,
  preservesLoadOrder: false,
  transactionalDdl: true,
  maxIdentifierLength: 127,
  maxColumns: 1600,
  oneByteCsvDelimiter: true,
  enforcesUniqueKeys: false,
  directLoads: false,
};
