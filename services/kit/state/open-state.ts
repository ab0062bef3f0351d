import Database from 'better-sqlite3';
import pg from 'pg';

/** Where a service keeps its state: an embedded SQLite file, or a shared PostgreSQL. */
export type StateBackend =
  | { readonly kind: 'sqlite'; readonly db: Database.Database; readonly describe: string; close(): Promise<void> }
  | { readonly kind: 'postgres'; readonly pool: pg.Pool; readonly describe: string; close(): Promise<void> };

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export interface OpenStateOptions {
  /** A SQLite path (`sqlite:` prefix optional, `:memory:` allowed) or a `postgres://` URL. */
  readonly spec: string;
  /** PostgreSQL schema to use (created if missing); `public` by default. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

export async function openState(options: OpenStateOptions): Promise<StateBackend> {
  const { spec } = options;
  if (isPostgresUrl(spec)) {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
    const pool = new pg.Pool({
      connectionString: spec,
      max: options.maxConnections ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client that loses its server must not crash the process.
    pool.on('error', () => undefined);
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    return { kind: 'postgres', pool, describe: redactUrl(spec), close: () => pool.end() };
  }
  const path = spec.replace(/^sqlite:(\/\/)?/i, '');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return {
    kind: 'sqlite',
    db,
    describe: `sqlite:${path}`,
    close: async () => {
      if (db.open) db.close();
    },
  };
}

/** A URL without its password, for logs and /readyz. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}
