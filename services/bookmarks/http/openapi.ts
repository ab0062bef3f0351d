import { emptyBody, glueResetBody, historyQuery, rewindBody } from './schemas.js';

const ok = (description: string) => ({ '200': { description }, '404': { description: 'unknown bookmark or run' } });
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const json = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } });

/** OpenAPI entries for the plain (non-job) routes. */
export function openapiPaths(withGlue: boolean): Record<string, unknown> {
  const admin = (summary: string) => ({
    post: { summary, parameters: [pathParam('name')], requestBody: json(emptyBody), responses: ok('the bookmark after the change') },
  });
  const paths: Record<string, unknown> = {
    '/v1/bookmarks': { get: { summary: 'Every bookmark', responses: { '200': { description: '{bookmarks: [...]}' } } } },
    '/v1/bookmarks/{name}': { get: { summary: 'A bookmark: status, source, committed marks, in-flight run', parameters: [pathParam('name')], responses: ok('the bookmark') } },
    '/v1/bookmarks/{name}/history': {
      get: {
        summary: 'Every transition, newest first, with who and when',
        parameters: [pathParam('name'), ...Object.entries(historyQuery.properties as Record<string, unknown>).map(([name, schema]) => ({ name, in: 'query', schema }))],
        responses: ok('{history: [...]}'),
      },
    },
    '/v1/bookmarks/{name}/runs': { get: { summary: 'Runs, newest first, without their batches', parameters: [pathParam('name')], responses: ok('{runs: [...]}') } },
    '/v1/bookmarks/{name}/runs/{run_id}': { get: { summary: 'One run with its batch', parameters: [pathParam('name'), pathParam('run_id')], responses: ok('the run') } },
    '/v1/bookmarks/{name}/runs/{run_id}/abandon': {
      post: { summary: 'Give up an in-flight run so a new one can begin', parameters: [pathParam('name'), pathParam('run_id')], requestBody: json(emptyBody), responses: ok('the bookmark') },
    },
    '/v1/bookmarks/{name}/enable': admin('Enable: runs read and advance'),
    '/v1/bookmarks/{name}/pause': admin('Pause: runs read, commits do not advance'),
    '/v1/bookmarks/{name}/disable': admin('Disable: runs are refused with Bookmark.Disabled'),
    '/v1/bookmarks/{name}/reset': admin('Reset: forget every mark; an in-flight run is abandoned'),
    '/v1/bookmarks/{name}/rewind': {
      post: { summary: 'Rewind to the marks right after an earlier committed run', parameters: [pathParam('name')], requestBody: json(rewindBody), responses: ok('the bookmark') },
    },
  };
  if (withGlue) {
    paths['/v1/glue-jobs/{job}/bookmark'] = { get: { summary: 'A Glue job bookmark (GetJobBookmark)', parameters: [pathParam('job')], responses: ok('the Glue bookmark') } };
    paths['/v1/glue-jobs/{job}/history'] = { get: { summary: 'Glue bookmark resets made through this service, newest first', parameters: [pathParam('job')], responses: ok('{history: [...]}') } };
    paths['/v1/glue-jobs/{job}/bookmark/reset'] = {
      post: { summary: 'Reset a Glue job bookmark (ResetJobBookmark), optionally to before a run', parameters: [pathParam('job')], requestBody: json(glueResetBody), responses: ok('the Glue bookmark') },
    };
  }
  return paths;
}
