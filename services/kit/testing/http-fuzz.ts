/**
 * A bounded fuzzer for a service's HTTP surface, driven by its OpenAPI document: random
 * methods, paths (with odd and broken percent-encodings), query strings, headers and bodies
 * (schema-shaped JSON, any JSON, deep nesting, not JSON at all), sent over a real socket.
 * The property: no response is a 5xx other than a 503 with `Retry-After`.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';

export interface FuzzRequest {
  readonly method: string;
  /** The raw request target, as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** What the generator meant to exercise (for reports). */
  readonly tags: readonly string[];
}

export interface FuzzResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly params: ReadonlyArray<{ name: string; in: string; schema?: Schema }>;
  readonly body?: Schema;
}

type Schema = Record<string, unknown>;

/** The operations of an OpenAPI 3.1 document. */
export function operations(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const o = op as { parameters?: Operation['params']; requestBody?: { content?: Record<string, { schema?: Schema }> } };
      const body = o.requestBody?.content?.['application/json']?.schema;
      out.push({ method: method.toUpperCase(), template, params: o.parameters ?? [], ...(body ? { body } : {}) });
    }
  }
  return out;
}

/** Odd path and query fragments: bad escapes, traversal, encoded slashes, NUL, overlong UTF-8. */
const ODD_FRAGMENTS = ['%', '%zz', '%E0%A4%A', '%00', '%ff', '%C0%AF', '..', '%2e%2e', '%2F', '%252F', '%u0041', ';', '~', '%20', '%0A'];

const visibleAscii = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });

function segment(schema: Schema | undefined): fc.Arbitrary<string> {
  const shaped: fc.Arbitrary<string>[] = [];
  if (schema && typeof schema.pattern === 'string') {
    try {
      shaped.push(fc.stringMatching(new RegExp(schema.pattern)).map(encodeURIComponent));
    } catch {
      // A pattern fast-check cannot invert: the other generators still cover the parameter.
    }
  }
  return fc.oneof(
    ...shaped,
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
    fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
    fc.constantFrom(...ODD_FRAGMENTS),
    fc.tuple(fc.string({ maxLength: 8 }).map(encodeURIComponent), fc.constantFrom(...ODD_FRAGMENTS), visibleAscii.map(encodeURIComponent)).map((p) => p.join('')),
    fc.constant(''),
    fc.integer({ min: 300, max: 5000 }).map((n) => 'a'.repeat(n)),
  );
}

/** JSON-ish values shaped by a JSON Schema, with any JSON mixed in at every level. */
function shapedValue(schema: unknown, depth: number): fc.Arbitrary<unknown> {
  const any = fc.jsonValue({ maxDepth: 3 });
  if (depth > 4 || schema === null || typeof schema !== 'object') return any;
  const s = schema as Schema;
  const options: fc.Arbitrary<unknown>[] = [];
  if (Array.isArray(s.enum)) options.push(fc.constantFrom(...(s.enum as unknown[])));
  if ('const' in s) options.push(fc.constant(s.const));
  for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(s[key])) options.push(...(s[key] as unknown[]).map((x) => shapedValue(x, depth + 1)));
  const type = Array.isArray(s.type) ? s.type : [s.type];
  if (type.includes('string')) {
    const pattern = typeof s.pattern === 'string' ? s.pattern : undefined;
    let matching: fc.Arbitrary<string> | undefined;
    try {
      matching = pattern ? fc.stringMatching(new RegExp(pattern)) : undefined;
    } catch {
      matching = undefined;
    }
    options.push(fc.oneof(...(matching ? [matching] : []), fc.string({ maxLength: 40 }), fc.constantFrom('s3://b/k', 's3://data/raw/', 's3://', 'table://c/s.t', '/etc/passwd', 's3://other-bucket/private/secret.csv')));
  }
  if (type.includes('integer')) options.push(fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53, Number.MAX_SAFE_INTEGER)));
  if (type.includes('number')) options.push(fc.double());
  if (type.includes('boolean')) options.push(fc.boolean());
  if (type.includes('array') || 'items' in s) options.push(fc.array(shapedValue(s.items, depth + 1), { maxLength: 4 }));
  if (type.includes('object') || 'properties' in s) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    const keys = Object.keys(props);
    if (keys.length > 0) {
      options.push(fc.record(Object.fromEntries(keys.map((k) => [k, shapedValue(props[k], depth + 1)])), { requiredKeys: [] }));
    } else options.push(fc.dictionary(fc.string({ maxLength: 10 }), any, { maxKeys: 4 }));
  }
  return options.length === 0 ? any : fc.oneof({ weight: 4, arbitrary: fc.oneof(...options) }, { weight: 1, arbitrary: any });
}

function deep(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const bodyArb = (schema: Schema | undefined): fc.Arbitrary<{ body: string | undefined; tag: string }> =>
  fc.oneof(
    { weight: 5, arbitrary: shapedValue(schema, 0).map((v) => ({ body: JSON.stringify(v) ?? 'null', tag: 'shaped-json' })) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ body: JSON.stringify(v) ?? 'null', tag: 'any-json' })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => ({ body: deep(d, k), tag: `deep-json-${k}` })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('x', ...Object.keys((schema?.properties ?? {}) as Record<string, unknown>)), fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('array' as const, 'object' as const))
        .map(([key, d, k]) => ({ body: `{${JSON.stringify(key)}:${deep(d, k)}}`, tag: `deep-json-in-${key}` })),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ body: s, tag: 'not-json' })) },
    { weight: 1, arbitrary: fc.constant({ body: undefined, tag: 'no-body' }) },
  );

const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/).filter((n) => !/^(content-length|transfer-encoding|host|connection|expect|upgrade|te|trailer)$/i.test(n));
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }).map((v) => v.trim());

export interface FuzzTarget {
  readonly token: string;
  readonly openapi: { paths: Record<string, Record<string, unknown>> };
}

/** Random requests against the operations of `target.openapi`, and some against no operation at all. */
export function requestArb(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const ops = operations(target.openapi);
  const opRequest = fc.constantFrom(...ops).chain((op) =>
    fc
      .record({
        method: fc.oneof({ weight: 6, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') }),
        segments: fc.tuple(...op.params.filter((p) => p.in === 'path').map((p) => segment(p.schema).map((v) => [p.name, v] as const)), fc.constant(['', ''] as const)),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...op.params.filter((p) => p.in === 'query').map((p) => p.name), 'limit', 'pipeline', 'before'), fc.string({ maxLength: 8 }).map(encodeURIComponent)), segment(undefined)), { maxLength: 3 }),
        body: bodyArb(op.body),
        auth: fc.oneof({ weight: 8, arbitrary: fc.constant(`Bearer ${target.token}`) }, { weight: 1, arbitrary: headerValue }, { weight: 1, arbitrary: fc.constant(undefined) }),
        key: fc.oneof({ weight: 6, arbitrary: visibleAscii.filter((k) => k.length > 0) }, { weight: 1, arbitrary: headerValue }, { weight: 1, arbitrary: fc.integer({ min: 256, max: 400 }).map((n) => 'k'.repeat(n)) }, { weight: 1, arbitrary: fc.constant(undefined) }),
        contentType: fc.option(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/merge-patch+json', '*/*', ''), { nil: undefined, freq: 6 }),
        extra: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
        special: fc.option(fc.constantFrom<[string, string]>(['Content-Encoding', 'gzip'], ['Content-Encoding', 'br'], ['Content-Encoding', 'identity, gzip'], ['X-Request-Id', '\t'], ['X-Request-Id', 'x'.repeat(300)], ['Accept', 'application/xml']), { nil: undefined }),
      })
      .map((r) => {
        let path = op.template;
        for (const [name, value] of r.segments) if (name) path = path.replace(`{${name}}`, value);
        if (r.query.length > 0) path += `?${r.query.map(([k, v]) => `${k}=${v}`).join('&')}`;
        const headers: Record<string, string> = { ...r.extra };
        if (r.auth !== undefined) headers.Authorization = r.auth;
        if (r.key !== undefined) headers['Idempotency-Key'] = r.key;
        if (r.contentType !== undefined) headers['Content-Type'] = r.contentType;
        else if (r.body.body !== undefined) headers['Content-Type'] = 'application/json';
        if (r.special) headers[r.special[0]] = r.special[1];
        const sendsBody = r.method !== 'GET' && r.method !== 'HEAD';
        return { method: r.method, path, headers, body: sendsBody ? r.body.body : undefined, tags: [`${op.method} ${op.template}`, ...(sendsBody ? [r.body.tag] : [])] };
      }),
  );
  const stray = fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), parts: fc.array(segment(undefined), { minLength: 1, maxLength: 4 }) }).map(
    (r): FuzzRequest => ({ method: r.method, path: `/${r.parts.join('/')}`, headers: { Authorization: `Bearer ${target.token}` }, body: undefined, tags: ['stray-path'] }),
  );
  return fc.oneof({ weight: 9, arbitrary: opRequest }, { weight: 1, arbitrary: stray });
}

/** Sends one request over a real socket (so broken paths reach the server as they are). */
export function send(baseUrl: string, req: FuzzRequest, timeoutMs = 10_000): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const r = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: { ...req.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(body);
  });
}

/** The property: a 5xx only as a 503 that says when to come back. */
export function acceptable(res: FuzzResponse): boolean {
  return res.status < 500 || (res.status === 503 && typeof res.headers['retry-after'] === 'string' && /^\d+$/.test(res.headers['retry-after']));
}
