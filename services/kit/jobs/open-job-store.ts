import type { StateBackend } from '../state/open-state.js';
import { PostgresJobStore } from './postgres/postgres-job-store.js';
import { SqliteJobStore } from './sqlite/sqlite-job-store.js';
import type { JobStore } from './types.js';

export function openJobStore(state: StateBackend): JobStore {
  return state.kind === 'sqlite' ? new SqliteJobStore(state.db) : new PostgresJobStore(state.pool);
}
