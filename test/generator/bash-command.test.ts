/**
 * A bash task's command reaches BashOperator so that Airflow runs it as a command. BashOperator's
 * template_ext is (".sh", ".bash"): a bash_command ending in either is read as the path of a
 * Jinja template file, and rendering fails with TemplateNotFound. Airflow's documented way to
 * run such a script as a command is a trailing space, which bash ignores.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import type { PipelineModel } from '../../src/model/types.js';

const VERSIONS = ['2.10', '2.11', '3.0', '3.1'] as const;

function bashCommandArg(task: object, airflow: string): string {
  const spec = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', tasks: { run: task } };
  const result = compileSpec('p.yaml', stringify(spec), { airflowVersion: airflow });
  expect(result.diagnostics).toEqual([]);
  const source = generateDag(result.model as PipelineModel, 'p.yaml');
  const argument = /bash_command="(?:[^"\\]|\\.)*"/.exec(source);
  expect(argument).not.toBeNull();
  return argument?.[0] ?? '';
}

describe('a bash command is run as a command, never read as a template file', () => {
  it.each([
    ['run.sh', 'bash_command="run.sh "'],
    ['./scripts/load.bash', 'bash_command="./scripts/load.bash "'],
    ['bash run.sh --since {{ ds }} run.sh', 'bash_command="bash run.sh --since {{ ds }} run.sh "'],
  ])('%s gets a trailing space', (command, want) => {
    for (const version of VERSIONS) expect(bashCommandArg({ type: 'bash', command }, version), version).toBe(want);
  });

  it('a mapped task too', () => {
    expect(bashCommandArg({ type: 'bash', command: 'run.sh', for_each: ['a', 'b'] }, '3.1')).toBe('bash_command="run.sh "');
  });

  it.each([
    ['echo hello', 'bash_command="echo hello"'],
    ['run.sh ', 'bash_command="run.sh "'],
    ['run.sh\n', 'bash_command="run.sh\\n"'],
    ['cat notes.shx', 'bash_command="cat notes.shx"'],
    ['run.SH', 'bash_command="run.SH"'],
  ])('%j is left as written (Airflow runs it as a command already)', (command, want) => {
    expect(bashCommandArg({ type: 'bash', command }, '2.10')).toBe(want);
  });
});
