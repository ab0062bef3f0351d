import type { TargetAdapter } from '../target.js';

/** DuckDB 1.4 and later: MERGE, transactional DDL, insertion order kept (`rowid`). */
export const duckdbAdapter: TargetAdapter = {
  supportsMerge: true,
  preservesLoadOrder: true,
  transactionalDdl: true,
  maxIdentifierLength: 127,
};
