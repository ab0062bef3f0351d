/** Retry settings Airflow would ignore are reported as warnings: the spec still compiles. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { SourceText } from '../../src/diagnostics/source-text.js';

function compile(tasks: object, extra: object = {}) {
  const text = stringify({ apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', ...extra, tasks });
  const result = compileSpec('p.yaml', text);
  return {
    compiled: result.model !== undefined,
    diagnostics: result.diagnostics.map((d) => ({ code: d.code, severity: d.severity ?? 'error', path: d.path, at: text.slice(d.pos[0], d.pos[1]) })),
  };
}

const ignored = (path: string) => ({ code: 'retry.max-delay-ignored', severity: 'warning', path, at: 'max_delay' });

describe('max_delay with fixed backoff', () => {
  it.each([
    ['on a task, backoff left fixed', { t: { type: 'empty', retry: { attempts: 2, delay: '1m', max_delay: '5m' } } }, {}, [ignored('/tasks/t/retry/max_delay')]],
    ['on a task, backoff fixed', { t: { type: 'empty', retry: { backoff: 'fixed', max_delay: '5m' } } }, {}, [ignored('/tasks/t/retry/max_delay')]],
    ['in defaults', { t: { type: 'empty' } }, { defaults: { retry: { attempts: 2, max_delay: '5m' } } }, [ignored('/defaults/retry/max_delay')]],
    ['on a group', { g: { type: 'group', retry: { max_delay: '5m' }, tasks: { t: { type: 'empty' } } } }, {}, [ignored('/tasks/g/retry/max_delay')]],
    ['on a task whose defaults back off exponentially', { t: { type: 'empty', retry: { max_delay: '5m' } } }, { defaults: { retry: { backoff: 'exponential' } } }, []],
    ['with exponential backoff', { t: { type: 'empty', retry: { backoff: 'exponential', max_delay: '5m' } } }, {}, []],
  ])('%s', (_name, tasks, extra, want) => {
    const { compiled, diagnostics } = compile(tasks, extra);
    expect(diagnostics).toEqual(want);
    expect(compiled).toBe(true);
  });
});

describe('a warning, as printed', () => {
  it('says warning before its code', () => {
    const text = 'tasks:\n  t: {type: empty, retry: {max_delay: 5m}}\n';
    const printed = formatDiagnostic({ code: 'retry.max-delay-ignored', message: 'm', file: 'p.yaml', pos: [text.indexOf('max_delay'), text.indexOf('max_delay') + 9], severity: 'warning' }, new SourceText(text));
    expect(printed.split('\n')[0]).toBe('p.yaml:2:28: warning: retry.max-delay-ignored: m');
  });
});
