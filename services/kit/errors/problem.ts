import { lookupProblem, problemType, type ProtocolCode } from './catalogue.js';

/** One field-level validation failure; `path` is a JSON Pointer. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** RFC 9457 problem document, with the protocol's extension members. */
export interface ProblemDocument {
  type: string;
  title: string;
  status?: number;
  code: string;
  detail?: string;
  retryable: boolean;
  errors?: FieldError[];
  /** In a failed job's error only: the wait a retry should respect (a response has the header). */
  retry_after?: number;
}

export interface ProblemOptions {
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/**
 * The one HTTP error class. Throw it (or return it from a job handler) with a
 * catalogued code; the final error handler renders it as problem+json.
 */
export class Problem extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly retryable: boolean;
  readonly detail: string | undefined;
  readonly errors: readonly FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ProtocolCode | (string & {}), options: ProblemOptions = {}) {
    const spec = lookupProblem(code);
    if (!spec) throw new Error(`unknown problem code ${code}: add it to the catalogue`);
    super(options.detail ?? spec.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Problem';
    this.code = code;
    this.status = spec.status ?? 500;
    this.title = spec.title;
    this.retryable = spec.retryable;
    this.detail = options.detail;
    this.errors = options.errors && options.errors.length > 0 ? options.errors : undefined;
    this.retryAfterSeconds =
      options.retryAfterSeconds ?? spec.retryAfterSeconds ?? (this.retryable || this.status === 429 || this.status === 503 ? 1 : undefined);
  }

  /** The document for a response body. */
  toDocument(): ProblemDocument {
    const doc: ProblemDocument = {
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      code: this.code,
      retryable: this.retryable,
    };
    if (this.detail !== undefined) doc.detail = this.detail;
    if (this.errors) doc.errors = [...this.errors];
    return doc;
  }

  /**
   * The document stored in a failed job (`status` omitted for job-only codes). A retryable
   * one carries its wait as `retry_after`, as a response carries `Retry-After`.
   */
  toJobError(): ProblemDocument {
    const doc = this.toDocument();
    if (lookupProblem(this.code)?.status === null) delete doc.status;
    if (this.retryable && this.retryAfterSeconds !== undefined) doc.retry_after = this.retryAfterSeconds;
    return doc;
  }
}

export function isProblem(value: unknown): value is Problem {
  return value instanceof Problem;
}

/** The bare 500 for unknown errors: no detail, nothing from the cause. */
export function internalProblem(): Problem {
  return new Problem('Internal');
}
