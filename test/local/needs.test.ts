/**
 * What `dagwright local up` must provide for a set of specs. Issue 9: glue_clickstream_sessions
 * names `aws_conn_id: aws_platform` (its Glue job, its SNS notify and its failure alert); a
 * local stack defined only `aws_default`, so those tasks fell back to boto3's default chain and
 * called real AWS instead of moto. Every AWS connection id the specs name is a need.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { stackNeeds } from '../../src/local/needs.js';
import { REPO_ROOT } from '../helpers/paths.js';

const model = (name: string) => {
  const file = join(REPO_ROOT, 'examples', `${name}.yaml`);
  const compiled = compileSpec(file, readFileSync(file, 'utf8'), { airflowVersion: '2.10' });
  if (!compiled.model) throw new Error(JSON.stringify(compiled.diagnostics));
  return compiled.model;
};

describe('stackNeeds', () => {
  it('the AWS connection ids the specs name, besides aws_default, with the region of what they reach', () => {
    // SnsPublishOperator and SnsNotifier take no region: the topic's region must be the connection's.
    expect(stackNeeds([model('glue_clickstream_sessions'), model('orders_hourly_to_redshift')]).awsConnections).toEqual(new Map([['aws_platform', 'eu-west-1']]));
  });
});

describe('stackNeeds of a load that lists its own source', () => {
  it('the AWS connection that lists it', () => {
    const spec = [
      'apiVersion: dagwright/v1',
      'kind: Pipeline',
      'name: p',
      'schedule: null',
      'start_date: 2026-01-01',
      'tasks:',
      '  load_region: {type: load, for_each: [us, eu], source: "s3://sales/{{ item }}/", aws_conn_id: aws_lake, warehouse: w, table: t, mode: append}',
    ].join('\n');
    const compiled = compileSpec('p.yaml', spec);
    if (!compiled.model) throw new Error(JSON.stringify(compiled.diagnostics));
    expect(stackNeeds([compiled.model]).awsConnections).toEqual(new Map([['aws_lake', undefined]]));
  });
});
