import type { Logger } from 'pino';
import { Problem } from '../errors/problem.js';
import { formatS3, matchesFile, matchesName, matchesS3, type NamedKind, type S3Location, type Scope, type ScopePolicy, type Verb } from './model.js';

/** What a request is about to do: its verb, the named resources, and the S3 locations and local paths it touches. */
export interface Need {
  readonly verb?: Verb;
  readonly pipeline?: string;
  readonly bookmark?: string;
  readonly warehouse?: string;
  /** Objects or listing prefixes it reads. */
  readonly s3Read?: readonly S3Location[];
  /** Objects or prefixes it writes. */
  readonly s3Write?: readonly S3Location[];
  /** Absolute local paths (files or directories) it reads, as their real paths. */
  readonly fileRead?: readonly string[];
  /** Absolute local paths it writes below. */
  readonly fileWrite?: readonly string[];
}

/** The problem code for each missing scope: `403 Scope.<Name>`. */
export const SCOPE_CODES = {
  run: 'Scope.Run',
  admin: 'Scope.Admin',
  read: 'Scope.Read',
  pipeline: 'Scope.Pipeline',
  bookmark: 'Scope.Bookmark',
  warehouse: 'Scope.Warehouse',
  s3Read: 'Scope.S3Read',
  s3Write: 'Scope.S3Write',
  fileRead: 'Scope.FileRead',
  fileWrite: 'Scope.FileWrite',
} as const;

export type MissingScope = { readonly scope: keyof typeof SCOPE_CODES; readonly resource: string };

/**
 * One identity's access, as the auth middleware hands it to routes and jobs
 * (`res.locals.access`, `EndpointContext.access`, `JobContext.access`). Services call
 * `require` with what they are about to touch, before touching it.
 */
export class Access {
  constructor(
    readonly identity: string,
    /** Undefined when the service runs unscoped: everything is allowed. */
    private readonly scope: Scope | undefined,
    private readonly scoped: boolean,
    private readonly log?: Logger,
  ) {}

  static for(policy: ScopePolicy, identity: string, log?: Logger): Access {
    if (policy.kind === 'unscoped') return new Access(identity, undefined, false, log);
    return new Access(identity, policy.scopes.get(identity), true, log);
  }

  /** The first scope the need lacks, or undefined when it is allowed. */
  missing(need: Need): MissingScope | undefined {
    if (!this.scoped) return undefined;
    const s = this.scope;
    if (need.verb !== undefined && !s?.verbs.has(need.verb)) return { scope: need.verb, resource: need.verb };
    for (const kind of ['pipeline', 'bookmark', 'warehouse'] as const satisfies readonly NamedKind[]) {
      const name = need[kind];
      if (name !== undefined && !(s && matchesName(s.names[kind], name))) return { scope: kind, resource: name };
    }
    for (const at of need.s3Read ?? []) if (!(s && matchesS3(s.s3Read, at))) return { scope: 's3Read', resource: formatS3(at) };
    for (const at of need.s3Write ?? []) if (!(s && matchesS3(s.s3Write, at))) return { scope: 's3Write', resource: formatS3(at) };
    for (const path of need.fileRead ?? []) if (!(s && matchesFile(s.fileRead, path))) return { scope: 'fileRead', resource: path };
    for (const path of need.fileWrite ?? []) if (!(s && matchesFile(s.fileWrite, path))) return { scope: 'fileWrite', resource: path };
    return undefined;
  }

  /** True when the named resource is in scope (for filtering lists). */
  sees(kind: NamedKind, name: string): boolean {
    return this.missing({ [kind]: name }) === undefined;
  }

  /**
   * Throws `403 Scope.<Name>` naming the missing scope, and logs the refusal with the
   * identity (never the token), when the need is outside this identity's scopes.
   */
  require(need: Need): void {
    const miss = this.missing(need);
    if (miss === undefined) return;
    const code = SCOPE_CODES[miss.scope];
    this.log?.warn({ identity: this.identity, scope: miss.scope, code, resource: miss.resource }, 'request outside its scopes');
    throw new Problem(code, {
      detail: `identity ${JSON.stringify(this.identity)} has no ${miss.scope} scope for ${JSON.stringify(miss.resource)}`,
    });
  }
}
