import { Problem } from '../../kit/errors/problem.js';
import { requireTableUri } from '../table/table-source.js';
import { formatS3Uri, requireS3Uri } from './s3-uri.js';
import { DEFAULTS, type BeginBody, type BeginInput, type RunOptions } from './types.js';

/**
 * Turns a begin request into the job's input: the body with its defaults resolved and its
 * source normalised. Refuses it before any job exists: a malformed source →
 * `400 Source.InvalidUri`; a table source on a connection not in `tableConnections`, or
 * without keys → `400 Request.Invalid`.
 */
export function beginInput(name: string, body: BeginBody, tableConnections: ReadonlySet<string>): BeginInput {
  const options: RunOptions = {
    partitioning: body.partitioning ?? DEFAULTS.partitioning,
    tolerance_seconds: body.tolerance_seconds ?? DEFAULTS.tolerance_seconds,
    lookback_partitions: body.lookback_partitions ?? DEFAULTS.lookback_partitions,
    target_batch_bytes: body.target_batch_bytes ?? DEFAULTS.target_batch_bytes,
    ...(body.keys ? { keys: [...body.keys] } : {}),
  };
  if (body.source.startsWith('table://')) {
    const loc = requireTableUri(body.source);
    if (!tableConnections.has(loc.connection)) {
      throw new Problem('Request.Invalid', {
        detail: `no table connection named ${JSON.stringify(loc.connection)} is configured`,
        errors: [{ path: '/source', message: 'names an unknown connection' }],
      });
    }
    if (!body.keys || body.keys.length === 0) {
      throw new Problem('Request.Invalid', { detail: 'a table source needs its bookmark keys', errors: [{ path: '/keys', message: 'is required for a table source' }] });
    }
    return { name, run_id: body.run_id, source: body.source, options };
  }
  return { name, run_id: body.run_id, source: formatS3Uri(requireS3Uri(body.source)), options };
}
