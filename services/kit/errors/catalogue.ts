/**
 * The one catalogue of coded problems (docs/service-protocol.md, "Codes").
 * Every problem a service returns has its code here, in the section of the service that
 * returns it (`shared` for the kit's). It is static, not filled at start-up: /openapi.json
 * of every service, `dagwright validate` (retry policies) and the protocol document read
 * all of it. A code is defined once (problem.test.ts), and stands in the protocol
 * document with its status and retryability (test/contract/error-codes.test.ts).
 */
export interface ProblemSpec {
  /** HTTP status; `null` for codes that only ever appear inside a failed job. */
  readonly status: number | null;
  readonly title: string;
  readonly retryable: boolean;
  /** Default wait (whole seconds): `Retry-After` of a 429 or 503, `retry_after` of a failed job. */
  readonly retryAfterSeconds?: number;
}

const shared = {
  'Auth.Unauthorized': { status: 401, title: 'Unauthorized', retryable: false },
  'Scope.Run': { status: 403, title: 'Outside scope: no run verb', retryable: false },
  'Scope.Admin': { status: 403, title: 'Outside scope: no admin verb', retryable: false },
  'Scope.Read': { status: 403, title: 'Outside scope: no read verb', retryable: false },
  'Scope.Pipeline': { status: 403, title: 'Outside scope: pipeline', retryable: false },
  'Scope.Bookmark': { status: 403, title: 'Outside scope: bookmark', retryable: false },
  'Scope.Warehouse': { status: 403, title: 'Outside scope: warehouse', retryable: false },
  'Scope.S3Read': { status: 403, title: 'Outside scope: S3 read location', retryable: false },
  'Scope.S3Write': { status: 403, title: 'Outside scope: S3 write location', retryable: false },
  'Scope.FileRead': { status: 403, title: 'Outside scope: local path read', retryable: false },
  'Scope.FileWrite': { status: 403, title: 'Outside scope: local path written', retryable: false },
  'Request.Invalid': { status: 400, title: 'Invalid request', retryable: false },
  'Request.TooLarge': { status: 413, title: 'Request body too large', retryable: false },
  'Request.UnsupportedMediaType': { status: 415, title: 'Unsupported media type', retryable: false },
  'Resource.NotFound': { status: 404, title: 'Not found', retryable: false },
  'Idempotency.Conflict': { status: 409, title: 'Idempotency key reused with a different body', retryable: false },
  'Service.Busy': { status: 429, title: 'Service busy', retryable: true, retryAfterSeconds: 2 },
  'Service.ShuttingDown': { status: 503, title: 'Service shutting down', retryable: true, retryAfterSeconds: 5 },
  'Service.DependencyUnavailable': { status: 503, title: 'Dependency unavailable', retryable: true, retryAfterSeconds: 5 },
  'Manifest.NotFound': { status: 422, title: 'Batch manifest not found', retryable: false },
  'Manifest.Invalid': { status: 422, title: 'Invalid batch manifest', retryable: false },
  'Job.Interrupted': { status: null, title: 'Job interrupted', retryable: true, retryAfterSeconds: 5 },
  Internal: { status: 500, title: 'Internal server error', retryable: true },
} as const satisfies Record<string, ProblemSpec>;

const bookmarks = {
  'Bookmark.NotFound': { status: 404, title: 'Bookmark not found', retryable: false },
  'Bookmark.RunInProgress': { status: 409, title: 'Another run of this bookmark is in progress', retryable: false },
  'Bookmark.RunNotFound': { status: 404, title: 'Run not found', retryable: false },
  'Bookmark.Disabled': { status: 409, title: 'Bookmark disabled', retryable: false },
  'Source.InvalidUri': { status: 400, title: 'Invalid source URI', retryable: false },
} as const satisfies Record<string, ProblemSpec>;

const dq = {
  'DQ.InvalidRuleset': { status: 422, title: 'Invalid ruleset', retryable: false },
  'DQ.ColumnNotFound': { status: 422, title: 'Column not found', retryable: false },
  'DQ.InvalidData': { status: 422, title: 'Invalid data', retryable: false },
  'DQ.RulesFailed': { status: 422, title: 'Data quality rules failed', retryable: false },
  'DQ.DatasetTooLarge': { status: 422, title: 'Dataset too large for the scratch space', retryable: false },
  'Ruleset.TooComplex': { status: 422, title: 'Ruleset too complex', retryable: false },
  'DQ.TimeLimitExceeded': { status: null, title: 'Evaluation time limit exceeded', retryable: false },
  'DQ.MemoryLimitExceeded': { status: null, title: 'Evaluation memory limit exceeded', retryable: false },
} as const satisfies Record<string, ProblemSpec>;

const loader = {
  'Redshift.UnavailableException': { status: 503, title: 'Warehouse unavailable', retryable: true, retryAfterSeconds: 30 },
  'Warehouse.Unavailable': { status: 503, title: 'Warehouse unavailable', retryable: true, retryAfterSeconds: 15 },
  'Warehouse.SerializationConflict': { status: 503, title: 'Serialization conflict', retryable: true, retryAfterSeconds: 5 },
  'Warehouse.Throttled': { status: 429, title: 'Warehouse throttled', retryable: true, retryAfterSeconds: 10 },
  DataError: { status: 422, title: 'Data error', retryable: false },
  SchemaMismatch: { status: 422, title: 'Schema mismatch', retryable: false },
  TableNotFound: { status: 422, title: 'Table not found', retryable: false },
  PermissionDenied: { status: 403, title: 'Permission denied', retryable: false },
  InvalidIdentifier: { status: 400, title: 'Invalid identifier', retryable: false },
  EmptyBatch: { status: 400, title: 'Empty batch', retryable: false },
  'Load.UnsupportedOption': { status: 422, title: 'Load option not supported', retryable: false },
  'Load.TooManyColumns': { status: 422, title: 'Too many columns', retryable: false },
  'Load.ReservedColumn': { status: 422, title: 'Reserved column name', retryable: false },
} as const satisfies Record<string, ProblemSpec>;

/** The catalogue's sections, one per service. */
export const problemSections = { shared, bookmarks, dq, loader } as const;

/** Every code in the protocol document, typed. */
export const protocolCatalogue = { ...shared, ...bookmarks, ...dq, ...loader } as const;
export type ProtocolCode = keyof typeof protocolCatalogue;

export function lookupProblem(code: string): ProblemSpec | undefined {
  return Object.hasOwn(protocolCatalogue, code) ? protocolCatalogue[code as ProtocolCode] : undefined;
}

export function listProblems(): ReadonlyArray<readonly [string, ProblemSpec]> {
  return Object.entries(protocolCatalogue);
}

/** `Auth.Unauthorized` → `https://dagwright.dev/problems/auth-unauthorized`. */
export function problemType(code: string): string {
  const slug = code
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
  return `https://dagwright.dev/problems/${slug}`;
}
