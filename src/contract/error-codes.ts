/**
 * The error codes a list-form retry policy may name (`retry: [{on: [...]}]`): the services'
 * own catalogue (the kit's, read from there, not copied), the codes the operators give
 * problems they meet themselves (python/dagwright_airflow), `HTTP.<status>`, and `ALL`.
 * The operators match a policy's `on` entry exactly or as a dotted prefix
 * (`code_matches` in python/dagwright_airflow/retry.py).
 */
import { protocolCatalogue } from '../../services/kit/errors/catalogue.js';

/** Matches every retryable code. */
export const ALL_ERRORS = 'ALL';

/** Every code a dagwright service returns (docs/service-protocol.md, "Codes"). */
export const SERVICE_ERROR_CODES: readonly string[] = Object.keys(protocolCatalogue);

/**
 * Codes the operators give problems that carry no code of a service's: a connection that
 * fails, a connection without a usable URL, an answer that is not a job or not a problem
 * document (python/dagwright_airflow/problem.py and hooks/service.py; test/contract holds
 * the two sides together).
 */
export const OPERATOR_ERROR_CODES = ['Transport.Unavailable', 'Connection.Invalid', 'Response.Malformed', 'Problem.Malformed'] as const;

/** An HTTP answer without a problem document is `HTTP.<status>` (an `http` task's usual code). */
export const HTTP_STATUS_CODE = /^HTTP\.[1-5][0-9][0-9]$/;
/** The prefix of every `HTTP.<status>` code. */
export const HTTP_CODE_PREFIX = 'HTTP';

/** A policy's `on` entry: a code, a dotted prefix of codes, or ALL. */
export const ERROR_CODE_OR_ALL_PATTERN = '^(ALL|[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*)$';
/** A spec's own `error_codes`: a code, not ALL. */
export const CUSTOM_ERROR_CODE_PATTERN = '^(?!ALL$)[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$';

/** The codes something can report, given a spec's own declared ones. */
export function knownErrorCodes(custom: readonly string[] = []): string[] {
  return [...SERVICE_ERROR_CODES, ...OPERATOR_ERROR_CODES, ...custom];
}

/** Whether a policy's `on` entry can match a code that is reported: ALL, a code, or a dotted prefix of one. */
export function isKnownErrorPattern(pattern: string, known: readonly string[]): boolean {
  if (pattern === ALL_ERRORS || pattern === HTTP_CODE_PREFIX || HTTP_STATUS_CODE.test(pattern)) return true;
  return known.some((code) => code === pattern || code.startsWith(pattern + '.'));
}

/** What a user may have meant: every code and every dotted prefix of one, and ALL. */
export function errorPatternCandidates(known: readonly string[]): string[] {
  const candidates = new Set<string>([ALL_ERRORS, HTTP_CODE_PREFIX]);
  for (const code of known) {
    const parts = code.split('.');
    for (let i = 1; i <= parts.length; i++) candidates.add(parts.slice(0, i).join('.'));
  }
  return [...candidates];
}
