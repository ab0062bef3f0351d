import { WAREHOUSE_NAME_PATTERN } from '../../../src/contract/index.js';

/** OpenAPI entries for the loader's plain routes (the job endpoint's come from the kit). */
export function openapiPaths(): Record<string, unknown> {
  return {
    '/v1/warehouses/{name}/availability': {
      get: {
        summary: 'Whether a warehouse can take a load now (the warehouse_available task)',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: WAREHOUSE_NAME_PATTERN } }],
        responses: {
          '200': { description: 'available', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'available' } } } } } },
          '404': { description: 'no such warehouse', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '503': { description: 'unavailable: the problem says why; Retry-After says when to ask again', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
  };
}
