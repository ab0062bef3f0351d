import { DescribeClustersCommand, type DescribeClustersMessage, type ClustersMessage } from '@aws-sdk/client-redshift';
import { GetWorkgroupCommand, type GetWorkgroupResponse } from '@aws-sdk/client-redshift-serverless';
import { Problem } from '../../../kit/errors/problem.js';
import type { AvailabilityProbe } from '../target.js';
import type { SendClient } from './redshift-config.js';
import { classifyRedshift } from './redshift-errors.js';

/** How long to wait before asking again, by what the cluster is doing (seconds). */
const RETRY_AFTER: Record<string, number> = { paused: 300, pausing: 300, resuming: 60, resizing: 300, maintenance: 600, modifying: 60, rebooting: 60, creating: 120 };

/**
 * Available when the cluster is (`ClusterAvailabilityStatus` Available, or
 * status `available`), or the Serverless workgroup is AVAILABLE. Anything
 * else is `503 Redshift.UnavailableException` with the reason and a
 * Retry-After suited to it.
 */
export class RedshiftAvailability implements AvailabilityProbe {
  constructor(
    private readonly where: { readonly cluster?: string; readonly workgroup?: string },
    private readonly clients: { readonly redshift?: SendClient; readonly serverless?: SendClient },
  ) {}

  async check(signal: AbortSignal): Promise<void> {
    try {
      if (this.where.workgroup) return await this.workgroup(this.where.workgroup, signal);
      if (this.where.cluster) return await this.cluster(this.where.cluster, signal);
    } catch (err) {
      if (err instanceof Problem) throw err;
      throw classifyRedshift(err) ?? new Problem('Warehouse.Unavailable', { detail: 'the Redshift API did not answer', cause: err });
    }
    throw new Error('a Redshift warehouse needs cluster_identifier or workgroup_name for its availability');
  }

  private async cluster(id: string, signal: AbortSignal): Promise<void> {
    const input: DescribeClustersMessage = { ClusterIdentifier: id };
    const out = (await this.clients.redshift?.send(new DescribeClustersCommand(input), { abortSignal: signal })) as ClustersMessage | undefined;
    const cluster = out?.Clusters?.[0];
    if (!cluster) throw unavailable(`cluster ${id} was not found`, 60);
    const status = (cluster.ClusterStatus ?? 'unknown').toLowerCase();
    const availability = cluster.ClusterAvailabilityStatus;
    if (availability ? availability === 'Available' : status === 'available') return;
    const reason = availability && availability !== 'Unavailable' ? `${availability.toLowerCase()} (status ${status})` : status;
    throw unavailable(`cluster ${id} is ${reason}`, RETRY_AFTER[status] ?? RETRY_AFTER[(availability ?? '').toLowerCase()] ?? 60);
  }

  private async workgroup(name: string, signal: AbortSignal): Promise<void> {
    const out = (await this.clients.serverless?.send(new GetWorkgroupCommand({ workgroupName: name }), { abortSignal: signal })) as GetWorkgroupResponse | undefined;
    const status = out?.workgroup?.status ?? 'UNKNOWN';
    if (status === 'AVAILABLE') return;
    throw unavailable(`workgroup ${name} is ${status.toLowerCase()}`, RETRY_AFTER[status.toLowerCase()] ?? 60);
  }
}

function unavailable(detail: string, retryAfterSeconds: number): Problem {
  return new Problem('Redshift.UnavailableException', { detail, retryAfterSeconds });
}
