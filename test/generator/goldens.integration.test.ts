import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import { publishedSchema } from '../../src/spec/schema.js';
import { specReference } from '../../src/spec/schema-docs.js';
import { AIRFLOW_TEST_TARGETS, REPO_ROOT, requiredInCi } from '../helpers/paths.js';

const examples = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort();

describe('golden DAGs (regenerate with: npm run goldens)', () => {
  for (const version of AIRFLOW_TEST_TARGETS) {
    const outputDir = join(REPO_ROOT, 'examples/dags', `airflow-${version}`);
    it.each(examples)(`%s for Airflow ${version} matches its golden file`, (file) => {
      const specPath = join(REPO_ROOT, 'examples', file);
      const result = compileSpec(`examples/${file}`, readFileSync(specPath, 'utf8'), { airflowVersion: version });
      if (!result.model) {
        // Only a feature the target lacks may keep an example from a target.
        expect(result.diagnostics.map((d) => d.code)).toEqual(['airflow.unsupported-feature']);
        return;
      }
      const golden = join(outputDir, `${result.model.dagId}.py`);
      expect(existsSync(golden), `${golden} is missing`).toBe(true);
      const text = generateDag(result.model, relative(outputDir, specPath));
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('generating twice gives the same bytes', () => {
    const specPath = join(REPO_ROOT, 'examples', examples[0] ?? '');
    const text = readFileSync(specPath, 'utf8');
    const once = compileSpec('a.yaml', text);
    const twice = compileSpec('a.yaml', text);
    expect(once.model && generateDag(once.model, 'a.yaml')).toBe(twice.model && generateDag(twice.model, 'a.yaml'));
  });

  it('the published schema and the spec reference are up to date', () => {
    const published = readFileSync(join(REPO_ROOT, 'schema/pipeline-v1.json'), 'utf8');
    expect(published).toBe(JSON.stringify(publishedSchema(), null, 2) + '\n');
    expect(readFileSync(join(REPO_ROOT, 'docs/spec.md'), 'utf8')).toBe(specReference());
  });

  const ruff = requiredInCi('DAGWRIGHT_RUFF');
  it.skipIf(!ruff)('every golden passes ruff check and ruff format --check', () => {
    const dags = join(REPO_ROOT, 'examples/dags');
    const options = { cwd: dags, encoding: 'utf8' as const, stdio: 'pipe' as const };
    execFileSync(ruff as string, ['check', '--no-cache', '--isolated', '.'], options);
    execFileSync(ruff as string, ['format', '--check', '--no-cache', '--isolated', '.'], options);
  });
});
