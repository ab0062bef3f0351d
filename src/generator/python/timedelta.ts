import { call, num, type PyExpr } from './expr.js';

/** `timedelta(hours=1, minutes=30)` for a number of seconds, largest units first. */
export function timedeltaExpr(timedelta: string, seconds: number): PyExpr {
  const parts: [string, number][] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [['days', 86_400], ['hours', 3_600], ['minutes', 60], ['seconds', 1]] as const) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push([unit, amount]);
  }
  if (parts.length === 0) parts.push(['seconds', 0]);
  return call(timedelta, parts.map(([unit, amount]) => [unit, num(amount)] as const));
}
