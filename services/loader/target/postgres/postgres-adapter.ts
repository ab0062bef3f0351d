import type { TargetAdapter } from '../target.js';

/** PostgreSQL 15 and later; `supportsMerge` follows the server's version. */
export function postgresAdapter(serverVersionNum = 150000): TargetAdapter {
  return {
    supportsMerge: serverVersionNum >= 150000,
    preservesLoadOrder: true,
    transactionalDdl: true,
    maxIdentifierLength: 63,
    maxColumns: 1600,
    oneByteCsvDelimiter: true,
    enforcesUniqueKeys: true,
    directLoads: true,
  };
}
