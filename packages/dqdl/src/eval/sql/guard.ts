/**
 * Confines user SQL. A where clause must be one predicate over the dataset; a CustomSql
 * statement one read-only SELECT over `primary` (and named reference datasets). Both are
 * translated from Spark's dialect (`translate.ts`, which also refuses what is outside the
 * supported subset), parsed by DuckDB's own parser (`json_serialize_sql`,
 * which only serialises SELECT statements) and their parse trees checked: no second
 * statement, no DDL or DML, no table functions (files), no other tables.
 */
import { DENIED_FUNCTIONS, isSqlProblem, translateSql, type SqlProblem, type Translated } from './translate.js';

/** DuckDB's `json_serialize_sql` answer, parsed. */
export interface ParsedSql {
  readonly error: boolean;
  readonly error_message?: string;
  readonly error_type?: string;
  readonly position?: string;
  readonly statements?: readonly unknown[];
}

export type SqlParser = (sql: string) => Promise<ParsedSql>;

export interface GuardedSql {
  /** DuckDB text to embed. */
  readonly sql: string;
  readonly origin: (offset: number) => number;
}

type Node = Record<string, unknown>;

const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);

function* walk(x: unknown): Generator<Node> {
  if (Array.isArray(x)) for (const item of x) yield* walk(item);
  else if (isNode(x)) {
    yield x;
    for (const v of Object.values(x)) yield* walk(v);
  }
}

const WHERE_PREFIX = 'SELECT * FROM "primary" WHERE (';

function parseProblem(parsed: ParsedSql, what: string, t: Translated, prefixLength: number): SqlProblem {
  const at = Number(parsed.position ?? NaN);
  const offset = Number.isFinite(at) ? t.origin(Math.max(0, at - prefixLength)) : 0;
  const unsupported = parsed.error_type === 'not implemented';
  return {
    code: unsupported ? 'dq.unsafe-sql' : 'dq.invalid-sql',
    message: unsupported ? `${what} must be a SELECT: ${parsed.error_message ?? ''}` : `${what}: ${parsed.error_message ?? 'does not parse'}`,
    offset,
  };
}

function locationOf(node: Node, t: Translated, prefixLength: number): number {
  const at = Number(node['query_location']);
  return Number.isFinite(at) && at < 1e15 ? t.origin(Math.max(0, at - prefixLength)) : 0;
}

function checkFunctions(tree: unknown, what: string, t: Translated, prefix: number): SqlProblem | undefined {
  for (const node of walk(tree)) {
    if (node['class'] === 'FUNCTION' && DENIED_FUNCTIONS.has(String(node['function_name']).toLowerCase())) {
      return { code: 'dq.unsafe-sql', message: `${what} may not call ${String(node['function_name'])}()`, offset: locationOf(node, t, prefix) };
    }
  }
  return undefined;
}

/** A where clause: a single predicate, no subqueries, nothing after it. */
export async function guardWhere(predicate: string, parse: SqlParser): Promise<GuardedSql | SqlProblem> {
  const what = 'the where clause';
  const t = translateSql(predicate, { what });
  if (isSqlProblem(t)) return t;
  const parsed = await parse(`${WHERE_PREFIX}${t.sql})`);
  if (parsed.error) return parseProblem(parsed, what, t, WHERE_PREFIX.length);
  const statements = parsed.statements ?? [];
  const node = isNode(statements[0]) ? (statements[0]['node'] as Node | undefined) : undefined;
  const shapeOk =
    statements.length === 1 &&
    node !== undefined &&
    node['type'] === 'SELECT_NODE' &&
    Array.isArray(node['modifiers']) &&
    node['modifiers'].length === 0 &&
    Array.isArray(node['group_expressions']) &&
    node['group_expressions'].length === 0 &&
    node['having'] === null &&
    node['qualify'] === null &&
    node['sample'] === null &&
    node['where_clause'] !== null;
  if (!shapeOk) return { code: 'dq.unsafe-sql', message: `${what} must be a single predicate`, offset: 0 };
  for (const n of walk(node['where_clause'])) {
    if (n['class'] === 'SUBQUERY') return { code: 'dq.unsafe-sql', message: `${what} may not contain subqueries`, offset: locationOf(n, t, WHERE_PREFIX.length) };
    if (n['class'] === 'WINDOW') return { code: 'dq.invalid-sql', message: `${what} may not use window functions`, offset: locationOf(n, t, WHERE_PREFIX.length) };
  }
  const denied = checkFunctions(node['where_clause'], what, t, WHERE_PREFIX.length);
  return denied ?? { sql: t.sql, origin: t.origin };
}

/** The CTEs a query node declares, in order: name and body. */
function ctesOf(node: Node): Array<readonly [string, unknown]> {
  const map = node['cte_map'];
  if (!isNode(map) || !Array.isArray(map['map'])) return [];
  return map['map'].filter(isNode).map((e) => [String(e['key']).toLowerCase(), e['value']] as const);
}

/**
 * The first table reference that is neither a dataset nor a CTE visible where it stands
 * (SQL's scoping, as DuckDB binds it): a query's CTEs are visible in its body, in its
 * subqueries and in the CTEs declared after them; a CTE sees itself only when recursive.
 * A name is never resolved against a CTE declared in another scope.
 */
function firstOutsideTable(x: unknown, visible: ReadonlySet<string> | undefined): Node | undefined {
  if (Array.isArray(x)) {
    for (const item of x) {
      const found = firstOutsideTable(item, visible);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isNode(x)) return undefined;
  if (x['type'] === 'BASE_TABLE') {
    const name = String(x['table_name']).toLowerCase();
    return x['schema_name'] !== '' || x['catalog_name'] !== '' || (visible !== undefined && !visible.has(name)) ? x : undefined;
  }
  const scope = visible === undefined ? undefined : new Set(visible);
  for (const [name, body] of ctesOf(x)) {
    const query = isNode(body) && isNode(body['query']) ? body['query']['node'] : undefined;
    const recursive = isNode(query) && query['type'] === 'RECURSIVE_CTE_NODE' && String(query['cte_name']).toLowerCase() === name;
    const found = firstOutsideTable(body, recursive && scope !== undefined ? new Set([...scope, name]) : scope);
    if (found !== undefined) return found;
    scope?.add(name);
  }
  for (const [key, value] of Object.entries(x)) {
    if (key === 'cte_map') continue;
    const found = firstOutsideTable(value, scope);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A CustomSql statement: one SELECT reading only `primary` and the given reference
 * aliases (and the CTEs in scope where a table is named). `tables` undefined: the datasets
 * are not known yet (a ruleset checked without its data), so any name without a schema may
 * be one. DuckDB's lockdown (no file access outside the inputs) stays the second wall.
 */
export async function guardCustomSql(statement: string, tables: readonly string[] | undefined, parse: SqlParser): Promise<GuardedSql | SqlProblem> {
  const what = 'the CustomSql statement';
  const t = translateSql(statement, { what, quoteWords: ['primary'], trailingSemicolon: true });
  if (isSqlProblem(t)) return t;
  const parsed = await parse(t.sql);
  if (parsed.error) return parseProblem(parsed, what, t, 0);
  const statements = parsed.statements ?? [];
  if (statements.length !== 1) return { code: 'dq.unsafe-sql', message: `${what} must be a single statement`, offset: 0 };
  const datasets = tables === undefined ? undefined : new Set(tables.map((name) => name.toLowerCase()));
  for (const n of walk(statements)) {
    if (n['type'] === 'TABLE_FUNCTION') {
      return { code: 'dq.unsafe-sql', message: `${what} may not call table functions (it may read only primary${tables === undefined || tables.length > 1 ? ' and the reference datasets' : ''})`, offset: locationOf(n, t, 0) };
    }
  }
  const outside = firstOutsideTable(statements, datasets);
  if (outside !== undefined) {
    return { code: 'dq.unsafe-sql', message: `${what} may read only ${tables === undefined ? 'primary and the reference datasets' : tables.join(', ')}, not ${String(outside['table_name'])}`, offset: locationOf(outside, t, 0) };
  }
  const denied = checkFunctions(statements, what, t, 0);
  return denied ?? { sql: t.sql, origin: t.origin };
}

export { isSqlProblem };
