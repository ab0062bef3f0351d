import type { TargetAdapter } from '../target.js';

/** DuckDB 1.4 and later: MERGE, transactional DDL, load order kept (a staging column), keys enforced, any delimiter. */
export const duckdbAdapter: TargetAdapter = {
  supportsMerge: true,
  preservesLoadOrder: true,
  transactionalDdl: true,
  maxIdentifierLength: 127,
  maxColumns: undefined,
  oneByteCsvDelimiter: false,
  enforcesUniqueKeys: true,
  directLoads: true,
};
