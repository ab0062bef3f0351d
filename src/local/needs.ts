/**
 * What a set of pipelines needs from a local stack: the pools they name, the warehouses the
 * loader must know, the SNS topics their alerts publish to, and the Airflow connections of
 * the services they call.
 */
import type { PipelineModel } from '../model/types.js';

export const SERVICE_CONNECTIONS = {
  bookmarks: 'dagwright_bookmarks',
  dq: 'dagwright_dq',
  loader: 'dagwright_loader',
} as const;

export type LocalService = keyof typeof SERVICE_CONNECTIONS;
export const LOCAL_SERVICES = Object.keys(SERVICE_CONNECTIONS) as LocalService[];

export interface StackNeeds {
  /** Pool name → the pipelines that name it. */
  readonly pools: ReadonlyMap<string, readonly string[]>;
  /** Warehouse names (lower case, as the loader keys them). */
  readonly warehouses: readonly string[];
  readonly snsTopics: readonly string[];
  /** Connection id → the service it points at. Specs may name their own connection ids. */
  readonly connections: ReadonlyMap<string, LocalService>;
  /**
   * AWS connection ids the specs name besides aws_default (each points at moto too) → the
   * region of what the specs reach through it (SNS topics, Glue jobs) when they agree on one:
   * SNS publishing takes no region of its own, so a topic's region must be its connection's.
   */
  readonly awsConnections: ReadonlyMap<string, string | undefined>;
}

export function stackNeeds(models: readonly PipelineModel[]): StackNeeds {
  const pools = new Map<string, string[]>();
  const warehouses = new Set<string>();
  const topics = new Set<string>();
  const aws = new Map<string, Set<string>>();
  const addAws = (id: string | undefined, region: string | undefined): void => {
    if (id === undefined || id === 'aws_default') return;
    const regions = aws.get(id) ?? new Set<string>();
    if (region !== undefined && region !== '') regions.add(region);
    aws.set(id, regions);
  };
  const arnRegion = (arn: string): string | undefined => arn.split(':')[3];
  const connections = new Map<string, LocalService>(LOCAL_SERVICES.map((service) => [SERVICE_CONNECTIONS[service], service]));
  const addPool = (pool: string | undefined, dagId: string): void => {
    if (pool === undefined) return;
    const users = pools.get(pool) ?? [];
    if (!users.includes(dagId)) users.push(dagId);
    pools.set(pool, users);
  };
  for (const model of models) {
    addPool(model.defaults.pool, model.dagId);
    if (model.onFailure) {
      topics.add(model.onFailure.snsTopicArn);
      addAws(model.onFailure.awsConnId, arnRegion(model.onFailure.snsTopicArn));
    }
    for (const task of model.tasks) {
      addPool(task.pool, model.dagId);
      const details = task.details;
      switch (details.type) {
        case 'bookmark':
        case 'bookmark_commit':
          if (details.connection) connections.set(details.connection, 'bookmarks');
          break;
        case 'dq_check':
          if (details.connection) connections.set(details.connection, 'dq');
          break;
        case 'load':
        case 'warehouse_available':
          warehouses.add(details.warehouse.toLowerCase());
          if (details.connection) connections.set(details.connection, 'loader');
          // A load with a source lists it through this connection.
          if (details.type === 'load' && details.source !== undefined) addAws(details.awsConnId, undefined);
          break;
        case 'notify':
          topics.add(details.topicArn);
          addAws(details.awsConnId, arnRegion(details.topicArn));
          break;
        case 's3_sensor':
          addAws(details.awsConnId, undefined);
          break;
        case 'glue_job':
          addAws(details.awsConnId, details.region);
          break;
        default:
          break;
      }
    }
  }
  return {
    pools: new Map([...pools].sort(([a], [b]) => a.localeCompare(b))),
    warehouses: [...warehouses].sort(),
    snsTopics: [...topics].sort(),
    connections,
    awsConnections: new Map([...aws].sort(([a], [b]) => a.localeCompare(b)).map(([id, regions]) => [id, regions.size === 1 ? [...regions][0] : undefined])),
  };
}
