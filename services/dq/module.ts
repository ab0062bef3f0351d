import { defineJobEndpoint, type ReadinessCheck, type ServiceModule } from '../kit/service-module.js';
import { evaluationInput } from './domain/request.js';
import type { EvaluationBody, EvaluationInput, EvaluationResult } from './domain/types.js';
import { openapiPaths } from './http/openapi.js';
import { mountDqRoutes } from './http/routes.js';
import { evaluationBody, evaluationResult } from './http/schemas.js';
import type { DqService } from './domain/dq-service.js';
import type { DqStore } from './store/types.js';

export interface DqModuleDeps {
  readonly service: DqService;
  readonly store: DqStore;
  readonly readiness?: readonly ReadinessCheck[];
  readonly version?: string;
  readonly now?: () => Date;
}

/** The dq service as a kit `ServiceModule`. */
export function dqModule(deps: DqModuleDeps): ServiceModule {
  const now = deps.now ?? (() => new Date());
  const evaluations = defineJobEndpoint<EvaluationInput, EvaluationResult>({
    path: '/evaluations',
    kind: 'dq.evaluate',
    summary:
      'Evaluate a DQDL ruleset on a dataset (a prefix, or a batch). With on_violation quarantine, passing rows are written as Parquet (result.batch) and failing rows, with their failed rules, to quarantine/pipeline=…/dt=…/run=…/.',
    body: evaluationBody,
    result: evaluationResult,
    input: (req, ctx) => {
      const input = evaluationInput(req.body as EvaluationBody, String(req.headers['idempotency-key'] ?? ''), now());
      deps.service.requireScopes(input, ctx.access);
      return input;
    },
    admit: (input) => deps.service.admit(input),
    handler: (input, ctx) => deps.service.run(input, ctx),
  });
  return {
    name: 'dq',
    ...(deps.version ? { version: deps.version } : {}),
    description: 'Data quality: DQDL (AWS Glue Data Quality) rulesets evaluated with DuckDB, failing rows quarantined.',
    jobs: [evaluations],
    routes: (router) => mountDqRoutes(router, deps.store, now, (text, at) => deps.service.checkRuleset(text, at)),
    readiness: deps.readiness ?? [],
    openapi: { paths: openapiPaths() },
  };
}
