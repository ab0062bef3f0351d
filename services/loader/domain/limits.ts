import { Problem } from '../../kit/errors/problem.js';

/**
 * Most columns one load may add to a table (`allow_new_columns`). Each added column is an
 * `ALTER TABLE … ADD COLUMN`, and an embedded DuckDB rewrites its catalogue for every one:
 * 2,000 new columns took the loader past 2 GB. A wider change is a migration, not a load.
 */
export const MAX_NEW_COLUMNS_PER_LOAD = 100;

/** `422 Load.TooManyColumns` when a load would add too many columns, or give the table more than the target allows. */
export function requireColumnRoom(added: number, existing: number, maxColumns: number | undefined, table: string): void {
  if (added > MAX_NEW_COLUMNS_PER_LOAD) {
    throw new Problem('Load.TooManyColumns', {
      detail: `the batch has ${added} columns ${table} lacks; one load adds at most ${MAX_NEW_COLUMNS_PER_LOAD}: add them with a migration first`,
      errors: [{ path: '/options/allow_new_columns', message: `would add ${added} columns; at most ${MAX_NEW_COLUMNS_PER_LOAD}` }],
    });
  }
  if (maxColumns !== undefined && existing + added > maxColumns) {
    throw new Problem('Load.TooManyColumns', {
      detail: `${table} has ${existing} columns and the batch adds ${added}: the warehouse allows at most ${maxColumns} in a table`,
      errors: [{ path: '/options/allow_new_columns', message: `would give the table ${existing + added} columns; at most ${maxColumns}` }],
    });
  }
}
