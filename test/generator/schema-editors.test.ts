import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { publishedSchema } from '../../src/spec/schema.js';
import { REPO_ROOT } from '../helpers/paths.js';

describe('the published JSON Schema (what editors see)', () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(publishedSchema());

  it.each(['orders_hourly_to_redshift.yaml', 'regional_sales_fanout.yaml', 'orders_daily_rollup.yaml', 'glue_clickstream_sessions.yaml'])(
    'accepts the example %s',
    (file) => {
      const spec = parse(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8'));
      expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it('rejects a misspelt field inside a nested group task', () => {
    const spec = parse(readFileSync(join(REPO_ROOT, 'examples/regional_sales_fanout.yaml'), 'utf8'));
    spec.tasks.exports.tasks.announce.comand = 'oops';
    expect(validate(spec)).toBe(false);
  });
});
