import type { Router } from 'express';
import { validate } from '../../kit/middleware/validate/index.js';
import type { HistoryAction } from '../domain/types.js';
import type { GlueBookmarks } from '../glue/glue-bookmarks.js';
import type { BookmarkService } from '../service.js';
import { emptyBody, glueParams, glueResetBody, historyQuery, limitQuery, nameParams, rewindBody, runParams } from './schemas.js';

const ADMIN_STATUS = { enable: 'enabled', pause: 'paused', disable: 'disabled' } as const;

/** The bookmarks service's plain routes: reads and admin operations (synchronous, no job). */
export function mountBookmarkRoutes(router: Router, svc: BookmarkService, glue: GlueBookmarks | undefined): void {
  const who = (locals: { identity?: string }) => locals.identity ?? 'anonymous';
  const limit = (q: unknown, fallback: number) => Number((q as { limit?: string }).limit ?? fallback);

  router.get('/bookmarks', async (_req, res) => {
    res.json({ bookmarks: await svc.list() });
  });

  router.get('/bookmarks/:name', validate({ params: nameParams }), async (req, res) => {
    res.json(await svc.get(String(req.params.name)));
  });

  router.get('/bookmarks/:name/history', validate({ params: nameParams, query: historyQuery }), async (req, res) => {
    const q = req.query as { before?: string; action?: HistoryAction };
    const entries = await svc.history(String(req.params.name), {
      limit: limit(req.query, 100),
      ...(q.before ? { beforeId: Number(q.before) } : {}),
      ...(q.action ? { action: q.action } : {}),
    });
    res.json({ history: entries });
  });

  router.get('/bookmarks/:name/runs', validate({ params: nameParams, query: limitQuery }), async (req, res) => {
    res.json({ runs: await svc.runs(String(req.params.name), limit(req.query, 50)) });
  });

  router.get('/bookmarks/:name/runs/:run_id', validate({ params: runParams }), async (req, res) => {
    res.json(await svc.getRun(String(req.params.name), String(req.params.run_id)));
  });

  router.post('/bookmarks/:name/runs/:run_id/abandon', validate({ params: runParams, body: emptyBody }), async (req, res) => {
    res.json(await svc.abandon(String(req.params.name), String(req.params.run_id), who(res.locals)));
  });

  for (const [verb, status] of Object.entries(ADMIN_STATUS)) {
    router.post(`/bookmarks/:name/${verb}`, validate({ params: nameParams, body: emptyBody }), async (req, res) => {
      res.json(await svc.setStatus(String(req.params.name), status, who(res.locals)));
    });
  }

  router.post('/bookmarks/:name/reset', validate({ params: nameParams, body: emptyBody }), async (req, res) => {
    res.json(await svc.reset(String(req.params.name), who(res.locals)));
  });

  router.post('/bookmarks/:name/rewind', validate({ params: nameParams, body: rewindBody }), async (req, res) => {
    res.json(await svc.rewind(String(req.params.name), String((req.body as { run_id: string }).run_id), who(res.locals)));
  });

  if (glue) {
    router.get('/glue-jobs/:job/bookmark', validate({ params: glueParams }), async (req, res) => {
      res.json(await glue.get(String(req.params.job)));
    });
    router.get('/glue-jobs/:job/history', validate({ params: glueParams, query: limitQuery }), async (req, res) => {
      res.json({ history: await svc.glueHistory(String(req.params.job), limit(req.query, 100)) });
    });
    router.post('/glue-jobs/:job/bookmark/reset', validate({ params: glueParams, body: glueResetBody }), async (req, res) => {
      const job = String(req.params.job);
      const runId = (req.body as { run_id?: string }).run_id;
      const out = await glue.reset(job, runId);
      await svc.recordGlueReset(job, runId ?? null, who(res.locals));
      res.json(out);
    });
  }
}
