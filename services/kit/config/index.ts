/**
 * Typed readers of a service's environment variables. Each reader returns
 * `undefined` when the variable is unset or empty, the value when it is well
 * formed, and throws a `ConfigError` that names the variable and the value
 * (`<NAME> must be ..., not "<value>"`) when it is not: a service stops at
 * start rather than run on a misread setting.
 */

/** Where variables are read: `process.env`, or a test's own record. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable that is set to something its reader does not accept. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function invalid(name: string, what: string, raw: string): ConfigError {
  return new ConfigError(name, `${name} must be ${what}, not ${JSON.stringify(raw)}`);
}

/** The variable's text; `undefined` when unset or empty. */
export function text(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** A whole number of 0 or more (`of`: what it counts, for the message; `max`: the largest accepted). */
export function wholeNumber(env: Env, name: string, options: { readonly of?: string; readonly max?: number } = {}): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > (options.max ?? Number.MAX_SAFE_INTEGER)) {
    throw invalid(name, options.of ? `a whole number of ${options.of}` : 'a whole number', raw);
  }
  return n;
}

/** A whole number above 0. */
export function positiveInt(env: Env, name: string): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw invalid(name, 'a positive whole number', raw);
  return n;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, tb: 1000 ** 4, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** A size as DuckDB writes it (`500MB`, `2GiB`, `1.5GB`; `MB` is 1000², `MiB` 1024²), in bytes. */
export function parseSize(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[(m?.[2] ?? '').toLowerCase()];
  if (m === null || unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/** A size (`500MB`, `2GiB`), in bytes. */
export function size(env: Env, name: string): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const bytes = parseSize(raw);
  if (bytes === undefined) throw invalid(name, 'a size such as 500MB or 2GiB', raw);
  return bytes;
}

/** The non-empty items of a `separator`-separated list, trimmed; `[]` when unset. */
export function list(env: Env, name: string, separator = ','): string[] {
  return (text(env, name) ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A list of `name=value` pairs (`a=x,b=y`), in order. */
export function pairs(env: Env, name: string): Array<readonly [string, string]> {
  return list(env, name).map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw invalid(name, 'a list of name=value', entry);
    return [entry.slice(0, eq), entry.slice(eq + 1)] as const;
  });
}
