/**
 * The service kit: everything a dagwright service shares. A service builds a
 * `ServiceModule` (its job endpoints and routes) and hands it to `createApp`.
 */
export { createApp, DEFAULT_MAX_BODY_BYTES, type AppDeps, type Lifecycle } from './app.js';
export * from './errors/index.js';
export { JobRunner, type JobContext, type JobHandler, type JobRunnerOptions } from './jobs/runner.js';
export type { Job, JobRecord, JobStatus, JobStore } from './jobs/types.js';
export { openJobStore } from './jobs/open-job-store.js';
export { canonicalJson } from './jobs/canonical-json.js';
export { TokenSet, loadTokens, bearerAuth } from './middleware/auth/index.js';
export { Access, accessOf, loadScopes, parseScopes, parseS3Uri, requireScope, SCOPE_CODES, UNSCOPED, type Need, type S3Location, type ScopePolicy, type Verb } from './scopes/index.js';
export { validate } from './middleware/validate/index.js';
export { createMetrics, type KitMetrics } from './ops/metrics.js';
export { createLogger, type Logger } from './logging.js';
export { createShutdown, installSignalHandlers } from './shutdown.js';
export { openState, isPostgresUrl, type StateBackend } from './state/open-state.js';
export { compileSchema, fieldErrors, type SchemaObject } from './validation.js';
export {
  defineJobEndpoint,
  type EndpointContext,
  type JobEndpoint,
  type OpenApiFragment,
  type ReadinessCheck,
  type ServiceModule,
} from './service-module.js';
