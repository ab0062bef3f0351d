/**
 * The Spark SQL subset that where clauses and CustomSql accept, translated to DuckDB token by
 * token (see the eval README for the subset). Spark's meaning is kept: `'…'` and `"…"` are
 * strings with backslash escapes (adjacent ones concatenate), `` `name` `` is a name,
 * `rlike`/`regexp` match anywhere (RE2, Java-only constructs refused), `like`/`ilike`
 * escape with `\`, `<=>` is null-safe equality, typed literals and casts read text as Spark
 * does, and only the functions in `spark-functions.ts` may be called. Anything else is
 * refused at its offset. Comments and semicolons are refused, and parentheses must never
 * close more than they opened, so the text cannot end the statement or the parenthesis it
 * is placed in. The guard then checks DuckDB's own parse tree of the result.
 */
import { ident, str } from './quote.js';
import { SPARK_FUNCTIONS, sparkCast, toDate, toTimestamp, type Arg } from './spark-functions.js';
import { isSparkDate, isSparkTimestamp } from './spark-dates.js';
import { findAnywhere, javaRegexProblem, likeProblem } from './spark-patterns.js';
import { isScanError, scanSql, stringValue, type SqlToken } from './tokens.js';

export interface Translated {
  readonly sql: string;
  /** Maps an offset in `sql` back to one in the original text. */
  readonly origin: (offset: number) => number;
}

export interface SqlProblem {
  readonly code: 'dq.unsafe-sql' | 'dq.invalid-sql';
  readonly message: string;
  /** Offset in the original text. */
  readonly offset: number;
}

export interface TranslateOptions {
  /** `where clause` or `CustomSql statement`, for messages. */
  readonly what: string;
  /** Bare words to quote as identifiers (lower case), e.g. `primary`. */
  readonly quoteWords?: readonly string[];
  /** Accept (and drop) one `;` at the very end. */
  readonly trailingSemicolon?: boolean;
}

/** Functions with side effects or access to session state: refused as unsafe, not merely unsupported. */
export const DENIED_FUNCTIONS: ReadonlySet<string> = new Set(['nextval', 'currval', 'setseed', 'getvariable', 'current_setting', 'query', 'query_table', 'enable_profile', 'disable_profile']);

/** Operators Spark and DuckDB read alike, and Spark's spellings DuckDB lacks. */
const OPERATORS: ReadonlyMap<string, string> = new Map([
  ...['=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '||', ',', '.', '&', '|'].map((o) => [o, o] as const),
  ['==', '='],
  ['!<', '>='],
  ['!>', '<='],
  ['<=>', ' IS NOT DISTINCT FROM '],
]);

/** Words that may stand before `(` without being a function call. */
const KEYWORDS = new Set(
  'all and any as between by case distinct else end except exists filter from having in intersect interval is join not on or over partition select some then union using values when where with within recursive into table lateral'.split(' '),
);

/** Spark's pattern operators, translated with their left operand. */
const PATTERN_OPERATORS = new Set(['rlike', 'regexp', 'like', 'ilike']);
/** Operators a NOT may stand before (`a NOT LIKE b`), where NOT does not start a new operand. */
const PREDICATES = new Set([...PATTERN_OPERATORS, 'in', 'between']);
/** Words after which a new value expression starts. */
const BOUNDARIES = new Set(['and', 'or', 'not', 'when', 'then', 'else', 'case', 'where', 'select', 'on', 'having', 'by', 'distinct', 'all', 'union', 'intersect', 'except', 'from', 'as', 'between', 'is', 'in', 'exists']);

/** DuckDB syntax Spark does not have; passing it through would change or extend the language. */
const DUCKDB_ONLY = new Set(['similar', 'glob', 'isnull', 'notnull', 'collate', 'qualify', 'pivot', 'unpivot', 'asof', 'positional', 'columns']);

const NUMBER_SUFFIX: Readonly<Record<string, string>> = { l: 'BIGINT', s: 'SMALLINT', y: 'TINYINT', d: 'DOUBLE', f: 'FLOAT', bd: 'DECIMAL(38, 18)' };

class Refusal extends Error {
  constructor(readonly problem: SqlProblem) {
    super(problem.message);
  }
}

/** One piece of output and the offset of the text it came from. */
type Piece = readonly [sql: string, origin: number];

class Translator {
  private readonly close = new Map<number, number>();

  constructor(
    private readonly tokens: readonly SqlToken[],
    private readonly what: string,
    private readonly quoteWords: ReadonlySet<string>,
  ) {
    const open: number[] = [];
    tokens.forEach((t, i) => {
      if (t.kind === 'open') open.push(i);
      if (t.kind === 'close') this.close.set(open.pop()!, i);
    });
  }

  private fail(code: SqlProblem['code'], message: string, offset: number): never {
    throw new Refusal({ code, message: `${this.what}: ${message}`, offset });
  }

  /** The index of the next token from `i` that is not a space (or `end`). */
  private skip(i: number, end: number): number {
    while (i < end && this.tokens[i]!.kind === 'space') i++;
    return i;
  }

  /** The previous significant token before `i`. */
  private previous(i: number): SqlToken | undefined {
    for (let j = i - 1; j >= 0; j--) if (this.tokens[j]!.kind !== 'space') return this.tokens[j];
    return undefined;
  }

  /** Adjacent string literals from `i` (Spark concatenates them): their value and the index after them. */
  private strings(i: number, end: number): { value: string; next: number } | undefined {
    let j = this.skip(i, end);
    if (this.tokens[j]?.kind !== 'string') return undefined;
    let value = '';
    let next = j;
    while (j < end && this.tokens[j]!.kind === 'string') {
      value += stringValue(this.tokens[j]!.text);
      next = j + 1;
      j = this.skip(j + 1, end);
    }
    return { value, next };
  }

  translate(start: number, end: number): Piece[] {
    const out: Piece[] = [];
    const push = (sql: string, origin: number) => {
      const last = out[out.length - 1]?.[0] ?? '';
      // Never glue a literal to a word before it (DuckDB would read E'…' or a typed literal).
      out.push([/[A-Za-z0-9_]$/.test(last) && /^'/.test(sql) ? ` ${sql}` : sql, origin]);
    };
    // Where the value expression being read starts in `out`: the left operand of a pattern operator.
    let boundary = 0;
    let i = start;
    while (i < end) {
      const t = this.tokens[i]!;
      switch (t.kind) {
        case 'space':
          push(t.text, t.start);
          i++;
          break;
        case 'string': {
          const s = this.strings(i, end)!;
          push(str(s.value), t.start);
          i = s.next;
          break;
        }
        case 'backtick':
          push(ident(t.text.slice(1, -1).replaceAll('``', '`')), t.start);
          i++;
          break;
        case 'number': {
          const after = this.tokens[i + 1];
          if (after !== undefined && after.kind === 'word' && after.start === t.end) {
            const type = NUMBER_SUFFIX[after.text.toLowerCase()];
            if (type === undefined) this.fail('dq.invalid-sql', `'${after.text}' cannot follow a number`, after.start);
            push(`CAST(${t.text} AS ${type})`, t.start);
            i += 2;
          } else {
            push(t.text, t.start);
            i++;
          }
          break;
        }
        case 'operator': {
          const op = OPERATORS.get(t.text);
          if (op === undefined) this.fail('dq.invalid-sql', `the operator '${t.text}' is not in the supported Spark SQL subset`, t.start);
          push(op, t.start);
          if (op === ',') boundary = out.length;
          i++;
          break;
        }
        case 'open': {
          const close = this.close.get(i)!;
          push('(', t.start);
          out.push(...this.translate(i + 1, close));
          push(')', this.tokens[close]!.start);
          i = close + 1;
          break;
        }
        case 'word': {
          const lower = t.text.toLowerCase();
          if (PATTERN_OPERATORS.has(lower)) {
            i = this.pattern(i, end, out, boundary);
            break;
          }
          const next = this.tokens[this.skip(i + 1, end)];
          const operatorNot = lower === 'not' && next?.kind === 'word' && PREDICATES.has(next.text.toLowerCase());
          i = this.word(i, end, push);
          if (BOUNDARIES.has(lower) && !operatorNot) boundary = out.length;
          break;
        }
        default:
          this.fail('dq.invalid-sql', `'${t.text}' is not in the supported Spark SQL subset`, t.start);
      }
    }
    return out;
  }

  private word(i: number, end: number, push: (sql: string, origin: number) => void): number {
    const t = this.tokens[i]!;
    const lower = t.text.toLowerCase();
    const n = this.skip(i + 1, end);
    const next = this.tokens[n];
    const prev = this.previous(i)?.text.toLowerCase();
    if (next?.kind === 'open' && !KEYWORDS.has(lower)) {
      if (prev === 'from' || prev === 'join') {
        // A table function: left for the guard, which refuses it.
        push(t.text, t.start);
        return i + 1;
      }
      push(this.call(i, n), t.start);
      return this.close.get(n)! + 1;
    }
    if ((lower === 'date' || lower === 'timestamp') && next?.kind === 'string') {
      const s = this.strings(i + 1, end)!;
      if (!(lower === 'date' ? isSparkDate(s.value) : isSparkTimestamp(s.value))) {
        this.fail('dq.invalid-sql', `${t.text.toUpperCase()} '${s.value}' is not a ${lower} Spark reads (see docs/dqdl.md)`, next.start);
      }
      push(lower === 'date' ? toDate(str(s.value)) : toTimestamp(str(s.value)), t.start);
      return s.next;
    }
    if (next?.kind === 'string' && next.start === t.end && lower !== 'interval') {
      this.fail('dq.invalid-sql', `the typed literal ${t.text}'…' is not in the supported Spark SQL subset (DATE '…' and TIMESTAMP '…' are)`, t.start);
    }
    if (lower === 'current_date' || lower === 'current_timestamp') {
      push(SPARK_FUNCTIONS.get(lower)!.render([], lower) as string, t.start);
      return i + 1;
    }
    if (lower === 'div') this.fail('dq.invalid-sql', 'DIV is not in the supported Spark SQL subset (use floor(a / b))', t.start);
    if (DUCKDB_ONLY.has(lower)) this.fail('dq.invalid-sql', `'${t.text}' is not Spark SQL`, t.start);
    push(this.quoteWords.has(lower) ? ident(t.text) : t.text, t.start);
    return i + 1;
  }

  /**
   * `x [NOT] rlike|regexp|like|ilike 'pattern' [ESCAPE 'c']` at `i`. Its left operand is what
   * `out` holds since `boundary` (Spark binds these looser than arithmetic and comparisons),
   * cast to text as Spark does. The pattern must be a string literal, checked here.
   */
  private pattern(i: number, end: number, out: Piece[], boundary: number): number {
    const t = this.tokens[i]!;
    const lower = t.text.toLowerCase();
    let last = out.length;
    while (last > boundary && out[last - 1]![0].trim() === '') last--;
    const negated = last > boundary && out[last - 1]![0].trim().toLowerCase() === 'not';
    const leftEnd = negated ? last - 1 : last;
    const left = out.slice(boundary, leftEnd);
    const leftSql = left.map((p) => p[0]).join('').trim();
    if (leftSql === '') this.fail('dq.invalid-sql', `${lower} needs a value on its left`, t.start);
    const n = this.skip(i + 1, end);
    const after = this.tokens[n];
    if (after?.kind === 'word' && ['any', 'all', 'some'].includes(after.text.toLowerCase())) this.fail('dq.invalid-sql', `${lower} ${after.text} is not in the supported Spark SQL subset`, after.start);
    const p = this.strings(i + 1, end);
    if (p === undefined) this.fail('dq.invalid-sql', `${lower} takes its pattern as a string literal`, t.start);
    let operator: string;
    let resume = p.next;
    if (lower === 'rlike' || lower === 'regexp') {
      const problem = javaRegexProblem(p.value);
      if (problem !== undefined) this.fail('dq.invalid-sql', `${lower} '${p.value}': ${problem.message} (at pattern offset ${problem.index})`, this.tokens[n]!.start);
      operator = `SIMILAR TO ${str(findAnywhere(p.value))}`;
    } else {
      let escape = '\\';
      const e = this.skip(p.next, end);
      if (this.tokens[e]?.kind === 'word' && this.tokens[e]!.text.toLowerCase() === 'escape') {
        const c = this.strings(e + 1, end);
        if (c === undefined || [...c.value].length !== 1) this.fail('dq.invalid-sql', 'ESCAPE takes one character as a string literal', this.tokens[e]!.start);
        escape = c.value;
        resume = c.next;
      }
      const problem = likeProblem(p.value, escape);
      if (problem !== undefined) this.fail('dq.invalid-sql', `${lower} '${p.value}': ${problem.message}`, this.tokens[n]!.start);
      operator = `${lower.toUpperCase()} ${str(p.value)} ESCAPE ${str(escape)}`;
    }
    const leading = /^\s*/.exec(left.map((q) => q[0]).join(''))![0];
    out.splice(boundary, out.length - boundary, [`${leading}CAST((${leftSql}) AS VARCHAR)`, left[0]![1]], [`${negated ? ' NOT' : ''} ${operator}`, t.start]);
    return resume;
  }

  /** Arguments of the call whose `(` is at `open`: split at top-level commas, translated. */
  private args(open: number): Arg[] {
    const close = this.close.get(open)!;
    const ranges: Array<[number, number]> = [];
    let from = open + 1;
    for (let j = open + 1; j < close; j++) {
      const t = this.tokens[j]!;
      if (t.kind === 'open') j = this.close.get(j)!;
      else if (t.kind === 'operator' && t.text === ',') {
        ranges.push([from, j]);
        from = j + 1;
      }
    }
    if (this.skip(from, close) < close || ranges.length > 0) ranges.push([from, close]);
    return ranges.map(([a, b]) => {
      const first = this.skip(a, b);
      if (first === b) this.fail('dq.invalid-sql', 'an argument is missing', this.tokens[a]?.start ?? this.tokens[open]!.start);
      for (let j = first; j < b; j++) {
        const w = this.tokens[j]!;
        if (w.kind === 'open') j = this.close.get(j)!;
        else if (w.kind === 'word' && ['from', 'for', 'both', 'leading', 'trailing'].includes(w.text.toLowerCase())) {
          this.fail('dq.invalid-sql', `'${w.text}' inside a function call is not in the supported Spark SQL subset (pass arguments with commas)`, w.start);
        }
      }
      const s = this.strings(a, b);
      const literal = s !== undefined && this.skip(s.next, b) === b ? s.value : undefined;
      const sql = this.translate(a, b).map((p) => p[0]).join('').trim();
      return { sql, offset: this.tokens[first]!.start, ...(literal !== undefined ? { literal } : {}) };
    });
  }

  private call(name: number, open: number): string {
    const t = this.tokens[name]!;
    const lower = t.text.toLowerCase();
    if (DENIED_FUNCTIONS.has(lower)) throw new Refusal({ code: 'dq.unsafe-sql', message: `${this.what} may not call ${t.text}()`, offset: t.start });
    if (lower === 'cast' || lower === 'try_cast') return this.cast(name, open);
    const f = SPARK_FUNCTIONS.get(lower);
    if (f === undefined) this.fail('dq.invalid-sql', `the function ${t.text}() is not in the supported Spark SQL subset`, t.start);
    const args = this.args(open);
    if (args.length < f.min || args.length > f.max) {
      const want = f.min === f.max ? `${f.min}` : f.max === Number.POSITIVE_INFINITY ? `at least ${f.min}` : `${f.min} to ${f.max}`;
      this.fail('dq.invalid-sql', `${t.text}() takes ${want} argument(s), not ${args.length}`, t.start);
    }
    const r = f.render(args, lower);
    if (typeof r !== 'string') this.fail('dq.invalid-sql', `${t.text}(): ${r.message}`, r.offset);
    return r;
  }

  private cast(name: number, open: number): string {
    const close = this.close.get(open)!;
    let as = -1;
    for (let j = open + 1; j < close; j++) {
      const w = this.tokens[j]!;
      if (w.kind === 'open') j = this.close.get(j)!;
      else if (w.kind === 'word' && w.text.toLowerCase() === 'as') as = j;
    }
    const t = this.tokens[name]!;
    if (as === -1) this.fail('dq.invalid-sql', `${t.text}(x AS type) needs AS and a type`, t.start);
    const x = this.translate(open + 1, as).map((p) => p[0]).join('').trim();
    if (x === '') this.fail('dq.invalid-sql', `${t.text}() is missing the value to cast`, t.start);
    const type = this.tokens.slice(as + 1, close).map((k) => k.text).join('');
    const sql = sparkCast(x, type);
    if (sql === undefined) this.fail('dq.invalid-sql', `cast to '${type.trim()}' is not in the supported Spark SQL subset (string, boolean, tinyint, smallint, int, bigint, float, double, decimal(p,s), date, timestamp)`, this.tokens[this.skip(as + 1, close)]?.start ?? t.start);
    return sql;
  }
}

/** The last `;` and anything after it, when only spaces follow it. */
function trailingSemicolon(tokens: readonly SqlToken[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i] as SqlToken;
    if (t.kind === 'space') continue;
    return t.kind === 'semicolon' ? i : -1;
  }
  return -1;
}

export function translateSql(text: string, options: TranslateOptions): Translated | SqlProblem {
  const scanned = scanSql(text);
  if (isScanError(scanned)) return { code: 'dq.invalid-sql', message: `${options.what}: ${scanned.message}`, offset: scanned.offset };
  const cut = options.trailingSemicolon === true ? trailingSemicolon(scanned) : -1;
  const tokens = cut === -1 ? scanned : scanned.slice(0, cut);
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'line-comment' || t.kind === 'block-comment') {
      return { code: 'dq.unsafe-sql', message: `${options.what} may not contain comments`, offset: t.start };
    }
    if (t.kind === 'semicolon') {
      return { code: 'dq.unsafe-sql', message: `${options.what} must be a single statement: ';' is not allowed`, offset: t.start };
    }
    if (t.kind === 'open') depth++;
    if (t.kind === 'close' && --depth < 0) {
      return { code: 'dq.unsafe-sql', message: `${options.what} closes a parenthesis it did not open`, offset: t.start };
    }
  }
  if (depth > 0) return { code: 'dq.invalid-sql', message: `${options.what} leaves ${depth} parenthesis(es) open`, offset: text.length };
  if (tokens.every((t) => t.kind === 'space')) return { code: 'dq.invalid-sql', message: `${options.what} is empty`, offset: 0 };
  let pieces: Piece[];
  try {
    pieces = new Translator(tokens, options.what, new Set(options.quoteWords ?? [])).translate(0, tokens.length);
  } catch (e) {
    if (e instanceof Refusal) return e.problem;
    throw e;
  }
  let sql = '';
  const starts: Array<readonly [out: number, orig: number]> = [];
  for (const [piece, orig] of pieces) {
    starts.push([sql.length, orig]);
    sql += piece;
  }
  const origin = (offset: number): number => {
    let best: readonly [number, number] = [0, 0];
    for (const s of starts) if (s[0] <= offset) best = s;
    return Math.min(text.length, best[1] + Math.max(0, offset - best[0]));
  };
  return { sql, origin };
}

export function isSqlProblem<T extends object>(x: T | SqlProblem): x is SqlProblem {
  return 'code' in x && 'offset' in x;
}
