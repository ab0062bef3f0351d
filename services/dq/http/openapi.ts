import { listQuery, rulesetBody } from './schemas.js';

const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

/** OpenAPI entries for the dq service's plain routes. */
export function openapiPaths(): Record<string, unknown> {
  return {
    '/v1/evaluations': {
      get: {
        summary: 'Evaluations of a pipeline (one run with run_id), newest first, without their results',
        parameters: Object.entries(listQuery.properties as Record<string, unknown>).map(([name, schema]) => ({ name, in: 'query', required: name === 'pipeline', schema })),
        responses: { '200': { description: '{evaluations: [...]}' } },
      },
    },
    '/v1/evaluations/{id}': { get: { summary: 'One evaluation with its result (rules, metrics, batch, quarantine)', parameters: [pathParam('id')], responses: { '200': { description: 'the evaluation' }, '404': { description: 'unknown evaluation' } } } },
    '/v1/rulesets': { get: { summary: 'Stored rulesets', responses: { '200': { description: '{rulesets: [...]}' } } } },
    '/v1/rulesets/{name}': {
      get: { summary: 'A stored ruleset', parameters: [pathParam('name')], responses: { '200': { description: 'the ruleset' }, '404': { description: 'unknown ruleset' } } },
      put: {
        summary: 'Store a ruleset under a name (evaluations may then give {ruleset: {name}}); 422 DQ.InvalidRuleset when it does not parse, Ruleset.TooComplex when it nests too deep',
        parameters: [pathParam('name')],
        requestBody: { required: true, content: { 'application/json': { schema: rulesetBody } } },
        responses: { '200': { description: 'the stored ruleset' }, '422': { description: 'DQ.InvalidRuleset, or Ruleset.TooComplex' } },
      },
    },
  };
}
