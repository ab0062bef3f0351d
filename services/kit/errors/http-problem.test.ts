import { describe, expect, it } from 'vitest';
import { extendCatalogue } from './catalogue.js';
import { HttpProblem } from './http-problem.js';

describe('HttpProblem', () => {
  it.each([
    ['a retryable 503 keeps its wait in the job error', 'Service.DependencyUnavailable', { retryAfterSeconds: 300 }, { retryable: true, retry_after: 300 }],
    ['a 429 takes its catalogued wait', 'Service.Busy', {}, { retryable: true, retry_after: 2 }],
    ['a non-retryable error has no wait', 'Request.Invalid', {}, { retryable: false }],
  ] as const)('%s', (_name, code, options, want) => {
    const error = new HttpProblem(code, options).toJobError();
    expect(error).toMatchObject({ code, ...want });
    if (!('retry_after' in want)) expect(error).not.toHaveProperty('retry_after');
  });

  it('renders a response body without retry_after (the header carries it)', () => {
    expect(new HttpProblem('Service.Busy', { retryAfterSeconds: 5 }).toDocument()).not.toHaveProperty('retry_after');
  });

  it('rejects codes that are not in the catalogue', () => {
    expect(() => new HttpProblem('No.Such.Code')).toThrow(/catalogue/);
    expect(typeof extendCatalogue).toBe('function');
  });
});
