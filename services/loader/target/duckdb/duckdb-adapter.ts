import type { TargetAdapter } from '../target.js';

/** DuckDB 1.4 and later: MERGE, transactional DDL, insertion order kept (`rowid`), keys enforced. */
export const duckdbAdapter: TargetAdapter = {
  supportsMerge: true,
  preservesLoadOrder: true,
  transactionalDdl: true,
  maxIdentifierLength: 127,
  enforcesUniqueKeys: true,
  directLoads: true,
};
