import type { StateBackend } from '../../kit/state/open-state.js';
import { PostgresDqStore } from './postgres/postgres-dq-store.js';
import { SqliteDqStore } from './sqlite/sqlite-dq-store.js';
import type { DqStore } from './types.js';

export function openDqStore(state: StateBackend): DqStore {
  return state.kind === 'sqlite' ? new SqliteDqStore(state.db) : new PostgresDqStore(state.pool);
}
