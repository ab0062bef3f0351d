import type { Request, Router } from 'express';
import type { JobHandler } from './jobs/runner.js';
import type { Access } from './scopes/access.js';
import type { Verb } from './scopes/model.js';
import type { SchemaObject } from './validation.js';

/** The request facts a job endpoint's hooks may use. */
export interface EndpointContext {
  /** The bearer token's identity. */
  readonly identity: string;
  /** Its scopes: call `access.require(...)` with what the job will touch. */
  readonly access: Access;
}

/**
 * A `POST` that creates a job: route, validation, admission and the job's
 * handler in one definition. The kit adds backpressure, the Idempotency-Key
 * protocol, the 202 + Location answer and the OpenAPI entry.
 */
export interface JobEndpoint<I = unknown, R = unknown> {
  /** Express path under `/v1`, e.g. `/bookmarks/:name/runs`. */
  readonly path: string;
  /** The job's kind, `<service>.<verb>` and unique in the service, e.g. `bookmarks.begin`. */
  readonly kind: string;
  /**
   * The name the job is published under when it is older than the naming scheme
   * (`bookmark.begin` for `bookmarks.begin`, `load` for `loader.load`): job documents,
   * stored jobs, metrics labels, logs and the OpenAPI `x-job-kind` keep it, because
   * clients and dashboards read it. Without it, `kind` is published.
   */
  readonly publishedKind?: string;
  /** The verb the endpoint needs; `run` by default. */
  readonly verb?: Verb;
  readonly summary: string;
  readonly params?: SchemaObject;
  readonly body?: SchemaObject;
  /** The job's `result`, for the OpenAPI document. */
  readonly result?: SchemaObject;
  /** Builds the job's input from the validated request. */
  readonly input: (req: Request, ctx: EndpointContext) => I;
  /**
   * Checks made before a new job is created (never on an idempotent replay).
   * Throw an `Problem` to refuse: then nothing is created.
   */
  readonly admit?: (input: I, ctx: EndpointContext) => Promise<void>;
  readonly handler: JobHandler<I, R>;
}

/** A readiness check for `/readyz`: resolve when the dependency answers. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface OpenApiFragment {
  readonly paths?: Record<string, unknown>;
  readonly schemas?: Record<string, unknown>;
}

/** What a service (bookmarks, dq, loader) gives the kit. */
export interface ServiceModule {
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
  /** Job-creating endpoints. */
  readonly jobs: ReadonlyArray<JobEndpoint<any, any>>;
  /** Plain (synchronous) routes, mounted under `/v1` after auth and body parsing. */
  readonly routes?: (router: Router) => void;
  readonly readiness?: readonly ReadinessCheck[];
  /** OpenAPI entries for the plain routes. */
  readonly openapi?: OpenApiFragment;
}

/** `/bookmarks/:name/runs` → `/bookmarks/{name}/runs`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** The kind a job endpoint's jobs carry outside the code (see `JobEndpoint.publishedKind`). */
export function publishedKind(endpoint: Pick<JobEndpoint, 'kind' | 'publishedKind'>): string {
  return endpoint.publishedKind ?? endpoint.kind;
}

/** Helper that keeps an endpoint's input type attached to its hooks. */
export function defineJobEndpoint<I, R>(endpoint: JobEndpoint<I, R>): JobEndpoint<I, R> {
  return endpoint;
}
