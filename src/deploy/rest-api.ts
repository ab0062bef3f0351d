/**
 * MWAA's InvokeRestApi (POST /restapi/{Name} on the env. host, signed for the "airflow"
 * service): a call to the environment's Airflow REST API through AWS credentials. The
 * @aws-sdk/client-mwaa this project can install (3.523.0) predates the operation, so the request
 * is built here as that client would build it (rest-json, same body), signed with SigV4 from
 * the MWAAClient's own credentials, region and hash, and sent with fetch.
 */
import type { MWAAClient } from '@aws-sdk/client-mwaa';
import { SignatureV4 } from '@smithy/signature-v4';
import { DeployError } from './publish.js';

export interface RestApiCall {
  readonly path: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly query?: Record<string, string | number | boolean>;
  readonly body?: unknown;
}

export interface RestApiAnswer {
  /** The Airflow REST API's own HTTP status. */
  readonly status: number;
  readonly body: unknown;
}

export interface RestApiTarget {
  readonly mwaa: MWAAClient;
  readonly environment: string;
  /** An endpoint override (a local emulator), used as is with no env. host prefix. */
  readonly endpoint?: string | undefined;
}

export async function invokeRestApi(target: RestApiTarget, call: RestApiCall): Promise<RestApiAnswer> {
  const config = target.mwaa.config;
  const region = await config.region();
  const base = new URL(target.endpoint ?? `https://env.airflow.${region}.amazonaws.com`);
  const path = `${base.pathname.replace(/\/$/, '')}/restapi/${encodeURIComponent(target.environment)}`;
  const body = JSON.stringify({ Method: call.method, Path: call.path, ...(call.query ? { QueryParameters: call.query } : {}), ...(call.body !== undefined ? { Body: call.body } : {}) });
  const signer = new SignatureV4({ credentials: config.credentials, region, service: 'airflow', sha256: config.sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: base.protocol,
    hostname: base.hostname,
    ...(base.port ? { port: Number(base.port) } : {}),
    path,
    query: {},
    headers: { 'content-type': 'application/json', host: base.host },
    body,
  });
  const response = await fetch(`${base.protocol}//${base.host}${path}`, { method: 'POST', headers: signed.headers, body });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { RestApiStatusCode?: number; RestApiResponse?: unknown; message?: string; Message?: string }) : {};
  if (parsed.RestApiStatusCode !== undefined) return { status: parsed.RestApiStatusCode, body: parsed.RestApiResponse };
  throw new DeployError('deploy.environment', `InvokeRestApi ${call.method} ${call.path} on ${target.environment}: HTTP ${response.status} ${parsed.message ?? parsed.Message ?? text}`);
}
