import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { realPath } from '../fs/real-path.js';
import { compileSchema, fieldErrors } from '../validation.js';
import { filePattern, globRegex, NAMED, UNSCOPED, VERBS, type FilePattern, type NamePattern, type S3Pattern, type Scope, type ScopePolicy, type Verb } from './model.js';

export type ScopeLoadError = { readonly code: 'Scopes.Invalid'; readonly message: string };

const patternList = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 1024 } } as const;
const s3List = { type: 'array', items: { type: 'string', pattern: '^s3://[^/]+(/.*)?$', maxLength: 1024 } } as const;
const fileList = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 4096 } } as const;

/** The scopes file (YAML): `identities: {<identity>: {verbs, s3: {read, write}, files: {read, write}, pipelines, bookmarks, warehouses}}`. */
const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['identities'],
  properties: {
    identities: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          verbs: { type: 'array', uniqueItems: true, items: { enum: [...VERBS] } },
          s3: { type: 'object', additionalProperties: false, properties: { read: s3List, write: s3List } },
          files: { type: 'object', additionalProperties: false, properties: { read: fileList, write: fileList } },
          pipelines: patternList,
          bookmarks: patternList,
          warehouses: patternList,
        },
      },
    },
  },
} as const;
const validateFile = compileSchema(fileSchema);

interface IdentityEntry {
  verbs?: Verb[];
  s3?: { read?: string[]; write?: string[] };
  files?: { read?: string[]; write?: string[] };
  pipelines?: string[];
  bookmarks?: string[];
  warehouses?: string[];
}

function s3Pattern(text: string): S3Pattern {
  const rest = text.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  return { bucket: globRegex(bucket), prefix, text };
}

/** A directory as the services compare paths: resolved as they resolve the paths requested (kit/fs/real-path). */
const fileScope = (text: string): FilePattern => ({ ...filePattern(realPath(text)), text });

/** Why a `files` entry cannot be a scope directory, or undefined when it can. */
function badFileEntry(text: string): string | undefined {
  if (!path.isAbsolute(text)) return 'must be an absolute directory path';
  if (text.includes('*')) return 'is a directory, not a pattern: * is not allowed';
  if (text.split('/').includes('..')) return 'must not contain .. (give the directory itself)';
  return undefined;
}

const names = (list: readonly string[] | undefined): NamePattern[] => (list ?? []).map((text) => ({ regex: globRegex(text), text }));

/**
 * Parses a scopes file. A field left out allows nothing of its kind; `['*']` allows all.
 * Errors are returned, never thrown.
 */
export function parseScopes(text: string, source = 'scopes'): { policy: ScopePolicy; errors: ScopeLoadError[] } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { policy: UNSCOPED, errors: [{ code: 'Scopes.Invalid', message: `${source}: not YAML: ${(err as Error).message.split('\n')[0]}` }] };
  }
  if (!validateFile(doc)) {
    return {
      policy: UNSCOPED,
      errors: fieldErrors(validateFile.errors).map((e) => ({ code: 'Scopes.Invalid', message: `${source}: ${e.path || '/'} ${e.message}` })),
    };
  }
  const identities = Object.entries((doc as { identities: Record<string, IdentityEntry | null> }).identities);
  const errors = identities.flatMap(([identity, entry]) =>
    (['read', 'write'] as const).flatMap((mode) =>
      (entry?.files?.[mode] ?? []).flatMap((text, i) => {
        const why = badFileEntry(text);
        return why === undefined ? [] : [{ code: 'Scopes.Invalid' as const, message: `${source}: /identities/${identity.replace(/~/g, '~0').replace(/\//g, '~1')}/files/${mode}/${i} ${why}, not ${JSON.stringify(text)}` }];
      }),
    ),
  );
  if (errors.length > 0) return { policy: UNSCOPED, errors };
  const scopes = new Map<string, Scope>();
  for (const [identity, entry] of identities) {
    const e = entry ?? {};
    scopes.set(identity, {
      identity,
      verbs: new Set(e.verbs ?? []),
      names: Object.fromEntries(NAMED.map((kind) => [kind, names(e[`${kind}s`])])) as unknown as Scope['names'],
      s3Read: (e.s3?.read ?? []).map(s3Pattern),
      s3Write: (e.s3?.write ?? []).map(s3Pattern),
      fileRead: (e.files?.read ?? []).map(fileScope),
      fileWrite: (e.files?.write ?? []).map(fileScope),
    });
  }
  return { policy: { kind: 'scoped', scopes }, errors: [] };
}

export interface ScopeSources {
  readonly env: NodeJS.ProcessEnv;
  readonly readFile?: (path: string) => string;
}

/** Reads the file named by `DAGWRIGHT_SCOPES_FILE`; without it the policy is `unscoped`. */
export function loadScopes(sources: ScopeSources): { policy: ScopePolicy; errors: ScopeLoadError[] } {
  const file = sources.env.DAGWRIGHT_SCOPES_FILE;
  if (!file) return { policy: UNSCOPED, errors: [] };
  let text: string;
  try {
    text = (sources.readFile ?? ((p) => readFileSync(p, 'utf8')))(file);
  } catch (err) {
    return { policy: UNSCOPED, errors: [{ code: 'Scopes.Invalid', message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` }] };
  }
  return parseScopes(text, file);
}
