/**
 * The ruleset checker's own failures are the service's (503, retryable), never the ruleset's
 * (422), and one failed or hung check does not take the others with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OffLoopParser } from './off-loop-parse.js';

const parsers: OffLoopParser[] = [];
const parser = (timeoutMs?: number) => {
  const p = new OffLoopParser(timeoutMs);
  parsers.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(parsers.splice(0).map((p) => p.close()));
});

const problem = (err: unknown) => ({ code: (err as { code?: string }).code, message: (err as Error).message });

describe('the off-loop ruleset checker', () => {
  it('a check that throws in the worker is 503 Service.DependencyUnavailable, and the next check still runs', async () => {
    const p = parser();
    // A request no caller sends (references that are not a list): the check throws inside the worker.
    const broken = await p.check('Rules = [ CustomSql "select count(*) from primary" > 0 ]', '/ruleset', { references: 5 } as never).catch(problem);
    expect(broken).toMatchObject({ code: 'Service.DependencyUnavailable', message: expect.stringContaining('the ruleset checker failed') });
    await expect(p.check('Rules = [ RowCount > 0 ]', '/ruleset', { references: [] })).resolves.toEqual({ rules: 1, analyzers: 0 });
    await expect(p.check('Rules = [ Foo "x" ]')).rejects.toMatchObject({ code: 'DQ.InvalidRuleset' });
  });

  it('a check with no answer in time is 503, and the worker is stopped', async () => {
    const p = parser(1);
    const late = await p.check('Rules = [ RowCount > 0 ]').catch(problem);
    expect(late).toMatchObject({ code: 'Service.DependencyUnavailable', message: expect.stringContaining('no answer within 1 ms') });
  });
});
