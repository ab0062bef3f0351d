/**
 * The orders happy path's data and what it must leave behind, shared by the native stack's
 * suite and the docker-compose one: three hourly partitions, some rows bad.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { parquetRows, sql } from './harness.js';

/** Logical date → the hour's CSV: bad rows are a negative amount and a missing order_id. */
export const ORDER_HOURS: Readonly<Record<string, string>> = {
  '2026-01-01T01:00:00Z': 'order_id,amount\n1,10.5\n2,-3\n3,7\n,4\n',
  '2026-01-01T02:00:00Z': 'order_id,amount\n4,1\n5,2\n6,-1\n',
  '2026-01-01T03:00:00Z': 'order_id,amount\n7,3\n3,8\n',
};

/** `orders/dt=2026-01-01-01/` for 2026-01-01T01:00:00Z. */
export function orderHourPrefix(date: string): string {
  return `orders/dt=${date.slice(0, 13).replace('T', '-')}/`;
}

/** Every valid row once, the later value of order 3 winning the merge. */
export async function expectOrdersLoadedOnce(warehouseUrl: string): Promise<void> {
  const rows = await sql<{ order_id: string; amount: number }>(warehouseUrl, 'SELECT order_id, amount FROM analytics.orders ORDER BY order_id');
  expect(rows.map((r) => [Number(r.order_id), r.amount])).toEqual([
    [1, 10.5],
    [3, 8],
    [4, 1],
    [5, 2],
    [7, 3],
  ]);
}

/** Every bad row once in quarantine, with the rule it failed. */
export async function expectBadOrdersQuarantinedOnce(s3: S3Client, bucket: string): Promise<void> {
  const quarantined = await parquetRows(s3, bucket, '_dagwright/dq/quarantine/pipeline=orders_e2e/');
  expect(quarantined.map((r) => `${String(r['order_id'])}:${String(r['amount'])}`).sort()).toEqual(['2:-3', '6:-1', 'null:4']);
  for (const row of quarantined) expect(String(row['DataQualityRulesFail'])).toMatch(/ColumnValues "amount" > 0|IsComplete "order_id"/);
}
