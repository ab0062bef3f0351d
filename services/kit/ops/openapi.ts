import { listProblems } from '../errors/catalogue.js';
import { publishedKind, toOpenApiPath, type ServiceModule } from '../service-module.js';

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
const jobResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } });

/** The OpenAPI 3.1 document: the kit's routes, then the service's own. */
export function buildOpenApi(module: ServiceModule): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'alive' } } } },
    '/readyz': {
      get: {
        summary: 'Readiness: the service and its dependencies answer',
        security: [],
        responses: { '200': { description: 'ready' }, '503': problemResponse('not ready, or shutting down') },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'text exposition' } } } },
    '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
    '/v1/jobs/{id}': {
      get: {
        summary: 'A job: its status, and its result or error once final',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': jobResponse('the job'), '404': problemResponse('no such job') },
      },
    },
  };
  for (const ep of module.jobs) {
    const path = `/v1${toOpenApiPath(ep.path)}`;
    const params = Object.keys((ep.params?.properties as Record<string, unknown> | undefined) ?? {}).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: (ep.params?.properties as Record<string, unknown>)[name],
    }));
    paths[path] = {
      ...paths[path],
      post: {
        summary: ep.summary,
        'x-job-kind': publishedKind(ep),
        ...(ep.result ? { 'x-job-result': ep.result } : {}),
        parameters: [
          ...params,
          { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 255 } },
        ],
        ...(ep.body ? { requestBody: { required: true, content: { 'application/json': { schema: ep.body } } } } : {}),
        responses: {
          '202': jobResponse('a new job (or a replayed unfinished one)'),
          '200': jobResponse('a replayed finished job'),
          '400': problemResponse('invalid request'),
          '409': problemResponse('conflict'),
          '429': problemResponse('busy'),
        },
      },
    };
  }
  for (const [path, item] of Object.entries(module.openapi?.paths ?? {})) {
    paths[path] = { ...paths[path], ...(item as Record<string, unknown>) };
  }
  return {
    openapi: '3.1.0',
    info: { title: `dagwright ${module.name}`, version: module.version ?? '0.1.0', description: module.description ?? '' },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'code', 'retryable'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string', enum: listProblems().map(([code]) => code) },
            detail: { type: 'string' },
            retryable: { type: 'boolean' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
        Job: {
          type: 'object',
          required: ['id', 'kind', 'status', 'attempt', 'created_at', 'updated_at'],
          properties: {
            id: { type: 'string' },
            kind: { type: 'string' },
            status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
            attempt: { type: 'integer', minimum: 1 },
            created_at: { type: 'string', format: 'date-time' },
            updated_at: { type: 'string', format: 'date-time' },
            result: {},
            error: problem,
          },
        },
        ...(module.openapi?.schemas ?? {}),
      },
    },
  };
}
