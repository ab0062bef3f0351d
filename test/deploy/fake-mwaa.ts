/**
 * A small local HTTP fake of the MWAA control-plane endpoints the AWS SDK's MWAAClient talks to
 * (REST-JSON: GET and PATCH /environments/{Name}), plus InvokeRestApi (POST /restapi/{Name}).
 * Tests point the client at it with an endpoint override and disableHostPrefix. moto 5.2 has an
 * MWAA backend, but it neither moves an update through UPDATING to AVAILABLE with a LastUpdate
 * status nor implements InvokeRestApi, which is what deploy's safe order depends on.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Environment } from '@aws-sdk/client-mwaa';
import { MWAAClient } from '@aws-sdk/client-mwaa';

export interface RestApiCall {
  readonly Path: string;
  readonly Method: string;
  readonly QueryParameters?: Record<string, unknown>;
  readonly Body?: unknown;
}

export interface FakeMwaa {
  readonly url: string;
  readonly client: MWAAClient;
  environment: Environment;
  /** Each UpdateEnvironment request body, in order. */
  readonly updates: Array<Record<string, unknown>>;
  /** Each GetEnvironment seen, as the status it answered. */
  readonly polls: string[];
  /** How many GetEnvironment calls an update stays UPDATING for; default 2. */
  updatePolls: number;
  /** GetEnvironment calls right after an update that still answer with the environment as it was (an eventually consistent read). */
  staleReads: number;
  /** When set, the next update ends UPDATE_FAILED with this error. */
  failNextUpdate: { ErrorCode: string; ErrorMessage: string } | undefined;
  readonly restCalls: RestApiCall[];
  restApi: (call: RestApiCall) => { status: number; body: unknown };
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeMwaa(environment: Environment): Promise<FakeMwaa> {
  let remaining = 0;
  let inFlight = false;
  let failing: FakeMwaa['failNextUpdate'];
  let stale = 0;
  let previous: Environment | undefined;
  const fake = {
    environment,
    updates: [] as Array<Record<string, unknown>>,
    polls: [] as string[],
    updatePolls: 2,
    staleReads: 0,
    failNextUpdate: undefined as FakeMwaa['failNextUpdate'],
    restCalls: [] as RestApiCall[],
    restApi: (() => ({ status: 404, body: { title: 'Not Found' } })) as FakeMwaa['restApi'],
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await body(req);
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const name = fake.environment.Name;
      if (path === `/environments/${name}` && req.method === 'GET') {
        if (stale > 0 && previous) {
          stale--;
          fake.polls.push(previous.Status ?? '');
          return send(200, { Environment: previous });
        }
        if (inFlight && fake.environment.Status === 'UPDATING') {
          if (remaining > 0) remaining--;
          else if (failing) {
            fake.environment = { ...fake.environment, Status: 'UPDATE_FAILED', LastUpdate: { Status: 'FAILED', Error: failing } };
            failing = undefined;
            inFlight = false;
          } else {
            inFlight = false;
            fake.environment = { ...fake.environment, Status: 'AVAILABLE', LastUpdate: { Status: 'SUCCESS' } };
          }
        }
        fake.polls.push(fake.environment.Status ?? '');
        return send(200, { Environment: fake.environment });
      }
      if (path === `/environments/${name}` && req.method === 'PATCH') {
        const input = JSON.parse(text) as Record<string, unknown>;
        fake.updates.push(input);
        const { Name: _name, ...fields } = input;
        previous = fake.environment;
        stale = fake.staleReads;
        fake.environment = { ...fake.environment, ...fields, Status: 'UPDATING', LastUpdate: { Status: 'PENDING' } };
        remaining = fake.updatePolls;
        inFlight = true;
        failing = fake.failNextUpdate;
        fake.failNextUpdate = undefined;
        return send(200, { Arn: `arn:aws:airflow:us-east-1:123456789012:environment/${name}` });
      }
      if (path === `/restapi/${name}` && req.method === 'POST') {
        // what MWAA checks first: a SigV4 signature for the airflow service
        if (!/^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/airflow\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/.test(req.headers.authorization ?? '')) {
          return send(403, { message: `fake MWAA: not signed for airflow: ${req.headers.authorization ?? '(no Authorization)'}` });
        }
        const call = JSON.parse(text) as RestApiCall;
        fake.restCalls.push(call);
        const answer = fake.restApi(call);
        return send(200, { RestApiStatusCode: answer.status, RestApiResponse: answer.body });
      }
      send(404, { message: `fake MWAA: no route for ${req.method} ${path}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new MWAAClient({ endpoint: url, region: 'us-east-1', disableHostPrefix: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  return Object.assign(fake, {
    url,
    client,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FakeMwaa;
}
