/**
 * Date operands as Glue evaluates them for ColumnValues: `now()`, `(now() - 3 days)`,
 * `"2024-01-31"`, `"9:30 AM"`, reduced to a calendar date (deequ compares `to_date(col)`
 * with the first ten characters of the evaluated operand), in the rule's `timeZone`
 * tag (UTC by default).
 */
import type { DateExpr, Duration, SimpleRule } from '../../ast.js';

const UNIT_MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000 } as const;

export const durationMs = (d: Duration): number => d.amount * UNIT_MS[d.unit];

/** Hours in a duration, as deequ's DataFreshness rounds them (minutes to 4 decimals). */
export function durationHours(d: Duration): number {
  if (d.unit === 'days') return d.amount * 24;
  if (d.unit === 'hours') return d.amount;
  return Math.round((d.amount / 60) * 1e4) / 1e4;
}

export function timeZoneOf(rule: SimpleRule): string {
  const tag = rule.tags.filter((t) => t.name === 'timeZone').pop();
  return tag?.value.kind === 'string' ? tag.value.lit.value : 'UTC';
}

function offsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const m = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** The calendar date of an instant in a zone, as `YYYY-MM-DD`. */
export function dateIn(instant: Date, zone: string): string {
  const offset = offsetMinutes(zone);
  if (offset !== undefined) return new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 10);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The date an operand stands for; `null` for NULL. */
export function dateOperand(e: DateExpr, now: Date, zone: string): string | null {
  switch (e.kind) {
    case 'null':
      return null;
    case 'date':
      return e.text;
    case 'now':
    case 'time':
      return dateIn(now, zone);
    case 'now-offset': {
      const delta = durationMs(e.duration) * (e.op === '-' ? -1 : 1);
      return dateIn(new Date(now.getTime() + delta), zone);
    }
  }
}
