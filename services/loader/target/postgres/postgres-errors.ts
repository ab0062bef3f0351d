import { Problem } from '../../../kit/errors/problem.js';
import { causeChain } from '../cause-chain.js';
import type { ErrorClassifier } from '../target.js';

interface PgError {
  readonly code?: string;
  readonly message?: string;
  readonly where?: string;
  readonly detail?: string;
  readonly column?: string;
  readonly table?: string;
}

/** Node socket errors: the warehouse refused, reset or never answered. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const DROPPED = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|server closed the connection|Connection closed/i;

/**
 * SQLSTATE → protocol code. Retryable: the connection classes (08), a server
 * shutting down or starting (57P01-57P03), resources (53), serialization
 * failures and deadlocks (40001, 40P01). Not retryable: data (22), integrity
 * (23), undefined objects (42P01, 42703), privileges (42501, 28).
 */
export function classifyPostgres(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  const e = (err ?? {}) as PgError;
  const code = e.code ?? '';
  const message = firstLine(e.message);
  const detail = (what: string) => `${what}: ${message}`;
  if (NETWORK.has(code) || (!/^[0-9A-Z]{5}$/.test(code) && DROPPED.test(message))) {
    return new Problem('Warehouse.Unavailable', { detail: detail('the warehouse connection failed'), cause: err });
  }
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', '57014'].includes(code) || code.startsWith('53')) {
    return new Problem('Warehouse.Unavailable', { detail: detail('the warehouse is unavailable'), cause: err });
  }
  if (code === '40001' || code === '40P01') {
    return new Problem('Warehouse.SerializationConflict', { detail: detail('a concurrent transaction conflicted'), cause: err });
  }
  // 54011: a table may have at most 1,600 columns (dropped ones count too).
  if (code === '54011') return new Problem('Load.TooManyColumns', { detail: message, cause: err });
  if (code === '42P01' || code === '3F000' || code === '3D000') return new Problem('TableNotFound', { detail: message, cause: err });
  if (code === '42703') return new Problem('SchemaMismatch', { detail: message, cause: err });
  if (code === '42501' || code.startsWith('28')) return new Problem('PermissionDenied', { detail: message, cause: err });
  if (code.startsWith('22') || code.startsWith('23') || code === '42804') {
    const where = e.where ? ` (${firstLine(e.where)})` : '';
    return new Problem('DataError', {
      detail: `${message}${where}`,
      errors: [{ path: '/batch', message: `${message}${where}` }],
      cause: err,
    });
  }
  return undefined;
}

/** SQLSTATE class 23: a duplicate key, a NULL in a NOT NULL column, a failed check. */
export function isPostgresIntegrityViolation(err: unknown): boolean {
  for (const e of causeChain(err)) if (((e as PgError).code ?? '').startsWith('23')) return true;
  return false;
}

export const postgresErrors: ErrorClassifier = { classify: classifyPostgres, isIntegrityViolation: isPostgresIntegrityViolation };

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0] ?? '';
}
