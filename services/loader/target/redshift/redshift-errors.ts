import { Problem } from '../../../kit/errors/problem.js';
import { classifyPostgres } from '../postgres/postgres-errors.js';
import type { ErrorClassifier } from '../target.js';

/** SDK exception names → protocol codes. */
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ActiveStatementsExceededException',
  'ActiveSessionsExceededException',
  'ActiveWaitingRequestsExceededException',
  'RequestLimitExceeded',
]);
const CLUSTER_DOWN = new Set(['DatabaseConnectionException', 'ClusterNotFoundFault', 'InvalidClusterStateFault', 'ResourceNotFoundException']);
const ENVIRONMENT = new Set(['InternalServerException', 'ExecuteStatementException', 'BatchExecuteStatementException', 'QueryTimeoutException', 'ServiceUnavailableException']);

const UNAVAILABLE = /paused|resiz|maintenance|not available|unavailable|being modified|modifying|rebooting|not in an available state|is in a state|cluster.*(restor|start)|workgroup.*(creat|modif)/i;

/** Statement errors (DescribeStatement's `Error`, or the wire protocol's message) by their text. */
export function classifyRedshiftMessage(text: string, cause?: unknown): Problem | undefined {
  const detail = text.split('\n')[0] ?? text;
  if (/\b1023\b|serializable isolation violation/i.test(text)) return new Problem('Warehouse.SerializationConflict', { detail, cause });
  if (/permission denied|not authorized|access denied|AccessDenied/i.test(text)) return new Problem('PermissionDenied', { detail, cause });
  if (/column "?[^"\s]+"? (of relation "?[^"\s]+"? )?does not exist/i.test(text)) return new Problem('SchemaMismatch', { detail, cause });
  if (/relation "?[^"\s]+"? does not exist|table .* (does not exist|not found)/i.test(text)) return new Problem('TableNotFound', { detail, cause });
  if (/Load into table .* failed|stl_load_errors|sys_load_error_detail|invalid input syntax|value too long|numeric overflow|invalid digit|invalid (timestamp|date)|missing newline|delimiter not found|extra column/i.test(text)) {
    return new Problem('DataError', { detail, errors: [{ path: '/batch', message: detail }], cause });
  }
  if (UNAVAILABLE.test(text)) return new Problem('Redshift.UnavailableException', { detail, cause });
  if (/connection (refused|reset)|timed out|terminating connection|server closed|could not connect/i.test(text)) return new Problem('Warehouse.Unavailable', { detail, cause });
  return undefined;
}

/**
 * Redshift errors: AWS SDK exceptions by name (throttling, a cluster that is
 * paused or resizing), statement errors by their text, and wire-protocol
 * errors as PostgreSQL's SQLSTATEs.
 */
export function classifyRedshift(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  const e = (err ?? {}) as { name?: string; message?: string; code?: string; $retryable?: { throttling?: boolean } };
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  if (THROTTLED.has(name) || e.$retryable?.throttling) return new Problem('Warehouse.Throttled', { detail: `${name}: ${message}`, cause: err });
  if (CLUSTER_DOWN.has(name) || (name === 'ValidationException' && UNAVAILABLE.test(message))) {
    return new Problem('Redshift.UnavailableException', { detail: `${name}: ${message}`, cause: err });
  }
  if (name === 'AccessDeniedException' || name === 'UnauthorizedOperation') return new Problem('PermissionDenied', { detail: `${name}: ${message}`, cause: err });
  if (ENVIRONMENT.has(name)) return new Problem('Warehouse.Unavailable', { detail: `${name}: ${message}`, cause: err });
  return classifyRedshiftMessage(message, err) ?? classifyPostgres(err);
}

/** Redshift takes the direct path only without keys, where no violation sends a load back to staging. */
export const redshiftErrors: ErrorClassifier = { classify: classifyRedshift, isIntegrityViolation: () => false };

/** A failed COPY's rows from SYS_LOAD_ERROR_DETAIL / STL_LOAD_ERRORS → `422 DataError` listing them. */
export function loadErrorReport(rows: ReadonlyArray<Record<string, unknown>>, error: string): Problem {
  const errors = rows.map((r) => ({
    path: '/batch',
    message: `${String(r.file_name ?? '')}, line ${String(r.line_number ?? '?')}, column ${String(r.column_name ?? '?')}: ${String(r.error_message ?? '')} (code ${String(r.error_code ?? '?')})`,
  }));
  const first = errors[0]?.message;
  return new Problem('DataError', {
    detail: first ? `COPY rejected the batch: ${first}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : `COPY rejected the batch: ${error.split('\n')[0]}`,
    errors: errors.length > 0 ? errors : [{ path: '/batch', message: error.split('\n')[0] ?? error }],
  });
}
