import type { Router } from 'express';
import { accessOf, requireScope } from '../../kit/scopes/middleware.js';
import { validate } from '../../kit/middleware/validate/index.js';
import type { HistoryAction } from '../domain/types.js';
import type { GlueBookmarks } from '../glue/glue-bookmarks.js';
import type { BookmarkService } from '../domain/bookmark-service.js';
import { emptyBody, glueParams, glueResetBody, historyQuery, limitQuery, nameParams, rewindBody, runParams } from './schemas.js';

const ADMIN_STATUS = { enable: 'enabled', pause: 'paused', disable: 'disabled' } as const;

/** The bookmarks service's plain routes: reads and admin operations (synchronous, no job). */
export function mountBookmarksRoutes(router: Router, svc: BookmarkService, glue: GlueBookmarks | undefined): void {
  const who = (locals: { identity?: string }) => locals.identity ?? 'anonymous';
  // Scopes: reads need `read`, state changes `admin`, both on the bookmark's name (a Glue job's bookmark goes by the job's name).
  const read = requireScope((req) => ({ verb: 'read', bookmark: String(req.params.name) }));
  const admin = requireScope((req) => ({ verb: 'admin', bookmark: String(req.params.name) }));
  const readGlue = requireScope((req) => ({ verb: 'read', bookmark: String(req.params.job) }));
  const adminGlue = requireScope((req) => ({ verb: 'admin', bookmark: String(req.params.job) }));
  const limit = (q: unknown, fallback: number) => Number((q as { limit?: string }).limit ?? fallback);

  router.get('/bookmarks', requireScope({ verb: 'read' }), async (_req, res) => {
    const access = accessOf(res);
    res.json({ bookmarks: (await svc.list()).filter((b) => access.sees('bookmark', b.name)) });
  });

  router.get('/bookmarks/:name', validate({ params: nameParams }), read, async (req, res) => {
    res.json(await svc.get(String(req.params.name)));
  });

  router.get('/bookmarks/:name/history', validate({ params: nameParams, query: historyQuery }), read, async (req, res) => {
    const q = req.query as { before?: string; action?: HistoryAction };
    const entries = await svc.history(String(req.params.name), {
      limit: limit(req.query, 100),
      ...(q.before ? { beforeId: Number(q.before) } : {}),
      ...(q.action ? { action: q.action } : {}),
    });
    res.json({ history: entries });
  });

  router.get('/bookmarks/:name/runs', validate({ params: nameParams, query: limitQuery }), read, async (req, res) => {
    res.json({ runs: await svc.runs(String(req.params.name), limit(req.query, 50)) });
  });

  router.get('/bookmarks/:name/runs/:run_id', validate({ params: runParams }), read, async (req, res) => {
    res.json(await svc.getRun(String(req.params.name), String(req.params.run_id)));
  });

  router.post('/bookmarks/:name/runs/:run_id/abandon', validate({ params: runParams, body: emptyBody }), admin, async (req, res) => {
    res.json(await svc.abandon(String(req.params.name), String(req.params.run_id), who(res.locals)));
  });

  for (const [verb, status] of Object.entries(ADMIN_STATUS)) {
    router.post(`/bookmarks/:name/${verb}`, validate({ params: nameParams, body: emptyBody }), admin, async (req, res) => {
      res.json(await svc.setStatus(String(req.params.name), status, who(res.locals)));
    });
  }

  router.post('/bookmarks/:name/reset', validate({ params: nameParams, body: emptyBody }), admin, async (req, res) => {
    res.json(await svc.reset(String(req.params.name), who(res.locals)));
  });

  router.post('/bookmarks/:name/rewind', validate({ params: nameParams, body: rewindBody }), admin, async (req, res) => {
    res.json(await svc.rewind(String(req.params.name), String((req.body as { run_id: string }).run_id), who(res.locals)));
  });

  if (glue) {
    router.get('/glue-jobs/:job/bookmark', validate({ params: glueParams }), readGlue, async (req, res) => {
      res.json(await glue.get(String(req.params.job)));
    });
    router.get('/glue-jobs/:job/history', validate({ params: glueParams, query: limitQuery }), readGlue, async (req, res) => {
      res.json({ history: await svc.glueHistory(String(req.params.job), limit(req.query, 100)) });
    });
    router.post('/glue-jobs/:job/bookmark/reset', validate({ params: glueParams, body: glueResetBody }), adminGlue, async (req, res) => {
      const job = String(req.params.job);
      const runId = (req.body as { run_id?: string }).run_id;
      const out = await glue.reset(job, runId);
      await svc.recordGlueReset(job, runId ?? null, who(res.locals));
      res.json(out);
    });
  }
}
