import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { publishedSchema } from '../../src/spec/schema.js';
import { SpecSource } from '../../src/spec/source.js';
import { validateSchema } from '../../src/spec/validate-schema.js';

const base = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01' };

function validated(tasks: object): Record<string, unknown> {
  const { source } = SpecSource.parse('p.yaml', stringify({ ...base, tasks }));
  const { spec, diagnostics } = validateSchema(source);
  expect(diagnostics).toEqual([]);
  return spec as unknown as Record<string, unknown>;
}

/** Every `default` in the published schema, with the path of the field that has it. */
function defaultsIn(schema: unknown, path = '#'): [string, Record<string, unknown>][] {
  if (schema === null || typeof schema !== 'object') return [];
  const here: [string, Record<string, unknown>][] = 'default' in schema ? [[path, schema as Record<string, unknown>]] : [];
  return [...here, ...Object.entries(schema).flatMap(([key, value]) => defaultsIn(value, `${path}/${key}`))];
}

describe('schema defaults', () => {
  it('writes the top level defaults into a spec that leaves them out', () => {
    const spec = validated({ a: { type: 'empty' } });
    expect(spec).toMatchObject({ owner: 'airflow', tags: [], timezone: 'UTC', catchup: false });
  });

  it.each([
    ['s3_sensor', { bucket: 'b', key: 'k' }, { mode: 'deferrable', wildcard: false }],
    ['warehouse_available', { warehouse: 'analytics' }, { mode: 'deferrable' }],
    ['bookmark', { source: 's3://bucket/p/' }, { partitioning: 'none' }],
    ['http', { connection: 'c', endpoint: '/' }, { method: 'GET' }],
  ] as const)('writes the defaults of a %s task, nested in a group too', (type, fields, want) => {
    const spec = validated({ t: { type, ...fields }, g: { type: 'group', tasks: { t: { type, ...fields } } } });
    const tasks = spec['tasks'] as Record<string, Record<string, unknown>>;
    expect(tasks['t']).toMatchObject(want);
    expect((tasks['g']?.['tasks'] as Record<string, unknown>)['t']).toMatchObject(want);
  });

  it('keeps what a spec writes', () => {
    const spec = validated({ t: { type: 's3_sensor', bucket: 'b', key: 'k', mode: 'reschedule' } });
    expect((spec['tasks'] as Record<string, Record<string, unknown>>)['t']?.['mode']).toBe('reschedule');
  });

  it('gives no default to a field whose absence means something else', () => {
    const spec = validated({ t: { type: 'load', warehouse: 'w', table: 't', mode: 'append', source: 's3://bucket/p/' } });
    const load = (spec['tasks'] as Record<string, Record<string, unknown>>)['t'] ?? {};
    for (const field of ['keys', 'aws_conn_id', 'connection', 'format', 'input', 'outlets']) expect(load).not.toHaveProperty(field);
    expect(spec).not.toHaveProperty('airflow');
  });

  it('has only defaults that its own field accepts', () => {
    const found = defaultsIn(publishedSchema());
    expect(found.length).toBeGreaterThan(0);
    const ajv = new Ajv({ strict: false });
    for (const [path, schema] of found) {
      const { default: value, ...field } = schema;
      expect(ajv.validate(field, value), `${path}: ${JSON.stringify(value)}`).toBe(true);
    }
  });

  it('builds the same model with the defaults written out as without them', () => {
    const tasks = { s: { type: 's3_sensor', bucket: 'b', key: 'k' }, h: { type: 'http', connection: 'c', endpoint: '/', after: ['s'] } };
    const explicit = {
      s: { ...tasks.s, mode: 'deferrable', wildcard: false },
      h: { ...tasks.h, method: 'GET' },
    };
    // The source's hash differs, as the text does; everything read from the spec must not.
    const model = (spec: object) => {
      const compiled = compileSpec('p.yaml', stringify(spec));
      expect(compiled.diagnostics).toEqual([]);
      return { ...compiled.model, sourceSha256: '' };
    };
    expect(model({ ...base, tasks })).toEqual(model({ ...base, owner: 'airflow', tags: [], timezone: 'UTC', catchup: false, tasks: explicit }));
  });
});
