/** The dq service's plain routes: evaluations per run, and stored rulesets. */
import type { Router } from 'express';
import { Problem } from '../../kit/errors/problem.js';
import { accessOf, requireScope } from '../../kit/scopes/middleware.js';
import { validate } from '../../kit/middleware/validate/index.js';
import type { RulesetCounts } from '../isolation/off-loop-parse.js';
import type { DqStore } from '../store/types.js';
import { idParams, listQuery, nameParams, rulesetBody } from './schemas.js';

/** `check`: parses a ruleset (off the event loop), or throws its problem. */
export function mountDqRoutes(router: Router, store: DqStore, now: () => Date, check: (text: string, at: string) => Promise<RulesetCounts>): void {
  router.get('/evaluations', validate({ query: listQuery }), requireScope((req) => ({ verb: 'read', pipeline: String(req.query.pipeline) })), async (req, res) => {
    const q = req.query as { pipeline: string; run_id?: string; limit?: string };
    res.json({ evaluations: await store.listEvaluations(q.pipeline, q.run_id, Number(q.limit ?? 100)) });
  });

  router.get('/evaluations/:id', validate({ params: idParams }), requireScope({ verb: 'read' }), async (req, res) => {
    const e = await store.getEvaluation(String(req.params.id));
    if (e === undefined) throw new Problem('Resource.NotFound', { detail: `no evaluation ${req.params.id}` });
    accessOf(res).require({ pipeline: e.pipeline });
    res.json(e);
  });

  router.get('/rulesets', requireScope({ verb: 'read' }), async (_req, res) => {
    res.json({ rulesets: await store.listRulesets() });
  });

  router.get('/rulesets/:name', validate({ params: nameParams }), requireScope({ verb: 'read' }), async (req, res) => {
    const r = await store.getRuleset(String(req.params.name));
    if (r === undefined) throw new Problem('Resource.NotFound', { detail: `no ruleset named ${req.params.name}` });
    res.json(r);
  });

  router.put('/rulesets/:name', validate({ params: nameParams, body: rulesetBody }), requireScope({ verb: 'admin' }), async (req, res) => {
    const text = (req.body as { text: string }).text;
    const counts = await check(text, '/text');
    const stored = { name: String(req.params.name), text, updated_at: now().toISOString(), updated_by: (res.locals as { identity?: string }).identity ?? 'anonymous' };
    await store.putRuleset(stored);
    res.json({ ...stored, ...counts });
  });
}
