import type { Need } from '../kit/scopes/access.js';
import { parseS3Uri } from '../kit/scopes/model.js';
import { defineJobEndpoint, type ReadinessCheck, type ServiceModule } from '../kit/service-module.js';
import { summarize, type BookmarkSummary } from './domain/types.js';
import type { GlueBookmarks } from './glue/glue-bookmarks.js';
import { mountBookmarksRoutes } from './http/routes.js';
import { beginResult, beginBody, emptyBody, nameParams, runParams } from './http/schemas.js';
import { openapiPaths } from './http/openapi.js';
import type { BookmarkService } from './domain/bookmark-service.js';
import { beginInput } from './domain/request.js';
import type { BeginBody, BeginInput, BeginResult } from './domain/types.js';

export interface BookmarksModuleDeps {
  readonly service: BookmarkService;
  readonly glue?: GlueBookmarks;
  readonly readiness?: readonly ReadinessCheck[];
  readonly version?: string;
}

/** What a begin touches, for its scope check: the bookmark, and its S3 source (listed). */
function beginNeeds(input: BeginInput): Need {
  const source = parseS3Uri(input.source);
  return { bookmark: input.name, ...(source ? { s3Read: [source] } : {}) };
}

/** The bookmarks service as a kit `ServiceModule`. */
export function bookmarksModule(deps: BookmarksModuleDeps): ServiceModule {
  const svc = deps.service;
  const begin = defineJobEndpoint<BeginInput, BeginResult>({
    path: '/bookmarks/:name/runs',
    kind: 'bookmarks.begin',
    publishedKind: 'bookmark.begin',
    summary: 'Begin a run: the batch of new objects (or the key range) to process. A retry of the run gets the same batch.',
    params: nameParams,
    body: beginBody,
    result: beginResult,
    input: (req, ctx) => {
      const input = beginInput(String(req.params.name), req.body as BeginBody, svc.tableConnections);
      ctx.access.require(beginNeeds(input));
      return input;
    },
    admit: async (input, ctx) => {
      await svc.claim(input, ctx.identity);
    },
    handler: (input, ctx) => {
      ctx.access.require(beginNeeds(input));
      return svc.begin(input, ctx.identity);
    },
  });
  const commit = defineJobEndpoint<{ name: string; run_id: string }, BookmarkSummary>({
    path: '/bookmarks/:name/runs/:run_id/commit',
    kind: 'bookmarks.commit',
    publishedKind: 'bookmark.commit',
    summary: 'Commit a run: the bookmark moves past its batch (unless paused). The result is the bookmark after the commit, its S3 band given as its size (band_size).',
    params: runParams,
    body: emptyBody,
    input: (req, ctx) => {
      ctx.access.require({ bookmark: String(req.params.name) });
      return { name: String(req.params.name), run_id: String(req.params.run_id) };
    },
    admit: (input) => svc.checkCommit(input.name, input.run_id),
    handler: async (input, ctx) => summarize(await svc.commit(input.name, input.run_id, ctx.identity)),
  });
  return {
    name: 'bookmarks',
    ...(deps.version ? { version: deps.version } : {}),
    description: 'Bookmarks: which objects (or rows) a pipeline has processed, so each is processed once.',
    jobs: [begin, commit],
    routes: (router) => mountBookmarksRoutes(router, svc, deps.glue),
    readiness: deps.readiness ?? [],
    openapi: { paths: openapiPaths(Boolean(deps.glue)) },
  };
}
