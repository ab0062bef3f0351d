import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Bearer tokens, held only as SHA-256 digests with the name of whoever owns
 * them. The name is the identity recorded in audit trails; the token itself
 * is never kept in clear, logged or echoed.
 */
export class TokenSet {
  private readonly entries: ReadonlyArray<{ identity: string; digest: Buffer }>;

  constructor(tokens: ReadonlyArray<{ identity: string; token: string }>) {
    this.entries = tokens.map(({ identity, token }) => ({ identity, digest: digest(token) }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The identities, each once, in the order given. */
  identities(): string[] {
    return [...new Set(this.entries.map((e) => e.identity))];
  }

  /** The identity for a token, or undefined. Compares every entry in constant time. */
  identify(token: string): string | undefined {
    const d = digest(token);
    let found: string | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, d) && found === undefined) found = entry.identity;
    }
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export type TokenParseError = { readonly code: 'Tokens.Invalid'; readonly message: string };

/**
 * Parses `name:token` entries separated by commas or new lines; `#` starts a
 * comment. An entry without a name gets `token-<n>`.
 */
export function parseTokens(text: string): { tokens: Array<{ identity: string; token: string }>; errors: TokenParseError[] } {
  const tokens: Array<{ identity: string; token: string }> = [];
  const errors: TokenParseError[] = [];
  const parts = text
    .split(/[\n,]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
  parts.forEach((part, index) => {
    const colon = part.indexOf(':');
    const identity = colon > 0 ? part.slice(0, colon).trim() : `token-${index + 1}`;
    const token = colon > 0 ? part.slice(colon + 1).trim() : part;
    if (token.length < 8) {
      errors.push({ code: 'Tokens.Invalid', message: `entry ${index + 1} (${identity}): a token needs at least 8 characters` });
      return;
    }
    tokens.push({ identity, token });
  });
  return { tokens, errors };
}

export interface TokenSources {
  readonly env: NodeJS.ProcessEnv;
  readonly readFile?: (path: string) => string;
}

/**
 * Loads tokens from `DAGWRIGHT_TOKEN` (identity `default`), `DAGWRIGHT_TOKENS`
 * (`name:token,...`) and the file named by `DAGWRIGHT_TOKENS_FILE` (one
 * `name:token` per line). Errors are returned, never thrown, and never
 * contain a token.
 */
export function loadTokens(sources: TokenSources): { tokens: TokenSet; errors: TokenParseError[] } {
  const all: Array<{ identity: string; token: string }> = [];
  const errors: TokenParseError[] = [];
  const single = sources.env.DAGWRIGHT_TOKEN?.trim();
  if (single) {
    if (single.length < 8) errors.push({ code: 'Tokens.Invalid', message: 'DAGWRIGHT_TOKEN needs at least 8 characters' });
    else all.push({ identity: 'default', token: single });
  }
  const list = sources.env.DAGWRIGHT_TOKENS;
  if (list) {
    const parsed = parseTokens(list);
    all.push(...parsed.tokens);
    errors.push(...parsed.errors.map((e) => ({ ...e, message: `DAGWRIGHT_TOKENS ${e.message}` })));
  }
  const file = sources.env.DAGWRIGHT_TOKENS_FILE;
  if (file) {
    try {
      const parsed = parseTokens((sources.readFile ?? ((p) => readFileSync(p, 'utf8')))(file));
      all.push(...parsed.tokens);
      errors.push(...parsed.errors.map((e) => ({ ...e, message: `${file}: ${e.message}` })));
    } catch (err) {
      errors.push({ code: 'Tokens.Invalid', message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
    }
  }
  return { tokens: new TokenSet(all), errors };
}
