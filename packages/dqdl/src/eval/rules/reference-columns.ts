/** Looking up reference datasets and their columns, recording binding errors. */
import type { Param } from '../../ast.js';
import type { Column } from '../engine/session.js';
import type { RuleContext } from './context.js';

export function reference(ctx: RuleContext, alias: string, p: Param): readonly Column[] | undefined {
  const columns = ctx.session.references.get(alias);
  if (columns === undefined) {
    const known = [...ctx.session.references.keys()];
    ctx.fail({ code: 'dq.missing-reference', message: `no reference dataset "${alias}" was given${known.length > 0 ? ` (given: ${known.join(', ')})` : ''}`, pos: p.pos });
  }
  return columns;
}

export function refColumn(ctx: RuleContext, alias: string, columns: readonly Column[], name: string, p: Param): Column | undefined {
  const c = ctx.findColumn(name, columns);
  if (c === undefined) ctx.fail({ code: 'dq.column-not-found', message: `reference dataset ${alias} has no column "${name}"`, pos: p.pos });
  return c;
}

export function primaryColumn(ctx: RuleContext, name: string, p: Param): Column | undefined {
  const c = ctx.findColumn(name);
  if (c === undefined) ctx.fail({ code: 'dq.column-not-found', message: `the dataset has no column "${name}"`, pos: p.pos });
  return c;
}
