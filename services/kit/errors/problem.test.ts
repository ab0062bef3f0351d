import { describe, expect, it } from 'vitest';
import { listProblems, problemSections, protocolCatalogue } from './catalogue.js';
import { Problem } from './problem.js';

describe('Problem', () => {
  it.each([
    ['a retryable 503 keeps its wait in the job error', 'Service.DependencyUnavailable', { retryAfterSeconds: 300 }, { retryable: true, retry_after: 300 }],
    ['a 429 takes its catalogued wait', 'Service.Busy', {}, { retryable: true, retry_after: 2 }],
    ['a non-retryable error has no wait', 'Request.Invalid', {}, { retryable: false }],
  ] as const)('%s', (_name, code, options, want) => {
    const error = new Problem(code, options).toJobError();
    expect(error).toMatchObject({ code, ...want });
    if (!('retry_after' in want)) expect(error).not.toHaveProperty('retry_after');
  });

  it('renders a response body without retry_after (the header carries it)', () => {
    expect(new Problem('Service.Busy', { retryAfterSeconds: 5 }).toDocument()).not.toHaveProperty('retry_after');
  });

  it('rejects codes that are not in the catalogue', () => {
    expect(() => new Problem('No.Such.Code')).toThrow(/catalogue/);
    expect(() => new Problem('toString')).toThrow(/catalogue/);
  });

  it.each(listProblems())('%s renders with its catalogued status, title and retryability', (code, spec) => {
    const problem = new Problem(code);
    expect(problem.toDocument()).toMatchObject({ code, title: spec.title, status: spec.status ?? 500, retryable: spec.retryable });
    if (spec.status === null) expect(problem.toJobError()).not.toHaveProperty('status');
  });
});

describe('the catalogue', () => {
  it('defines each code once: no section redefines another section\'s code', () => {
    const sections = Object.values(problemSections).map((section) => Object.keys(section));
    expect(sections.flat()).toHaveLength(new Set(sections.flat()).size);
    expect(Object.keys(protocolCatalogue)).toEqual(sections.flat());
  });
});
