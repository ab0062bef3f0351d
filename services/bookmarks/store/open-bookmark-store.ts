import type { StateBackend } from '../../kit/state/open-state.js';
import { PostgresBookmarkStore } from './postgres/postgres-bookmark-store.js';
import { SqliteBookmarkStore } from './sqlite/sqlite-bookmark-store.js';
import type { BookmarkStore, StoreHooks } from './types.js';

export function openBookmarkStore(state: StateBackend, hooks: StoreHooks = {}): BookmarkStore {
  return state.kind === 'sqlite' ? new SqliteBookmarkStore(state.db, hooks) : new PostgresBookmarkStore(state.pool, hooks);
}
