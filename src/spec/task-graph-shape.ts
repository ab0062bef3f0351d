/**
 * The spec's task graph, when the fields that make it are schema-valid whatever else the
 * schema found: the pipeline's name, and each task's type, after, input and for_each (and a
 * group's tasks). The graph can then be checked (unknown tasks, cycles) in the same run as
 * the schema's own errors, rather than in a second round once those are fixed.
 */
import type { ValidateFunction } from 'ajv';
import { isTaskType, TASK_TYPES, taskSchema, type TaskTypeName } from './schema.js';
import type { SpecSource } from './source.js';
import { specAjv } from './spec-ajv.js';
import type { TaskSpec } from './types.js';

/**
 * A spec whose graph fields are schema-valid. The other fields of its tasks are as written:
 * only what builds the graph may be read from them.
 */
export interface TaskGraphSpec {
  readonly name: string;
  readonly tasks: Readonly<Record<string, TaskSpec>>;
}

/** The fields the model reads to build the graph; one a type does not take must be absent. */
const GRAPH_FIELDS = ['after', 'input', 'for_each'] as const;

const graphValidators = new Map<TaskTypeName, ValidateFunction>(TASK_TYPES.map((type) => [type, specAjv.compile(graphSchema(type))]));

function graphSchema(type: TaskTypeName): Record<string, unknown> {
  const { properties } = taskSchema(type) as { properties: Record<string, unknown> };
  const graph: Record<string, unknown> = { type: properties['type'] };
  for (const field of GRAPH_FIELDS) graph[field] = properties[field] ?? { not: {} };
  if (type === 'group') graph['tasks'] = properties['tasks'];
  return { type: 'object', required: ['type'], properties: graph };
}

export function taskGraphOf(source: SpecSource): TaskGraphSpec | undefined {
  const data = source.data;
  if (!isRecord(data) || typeof data['name'] !== 'string' || !hasGraphShape(data['tasks'])) return undefined;
  return data as unknown as TaskGraphSpec;
}

function hasGraphShape(tasks: unknown): boolean {
  if (!isRecord(tasks)) return false;
  return Object.values(tasks).every((task) => {
    if (!isRecord(task) || typeof task['type'] !== 'string' || !isTaskType(task['type'])) return false;
    if (!(graphValidators.get(task['type']) as ValidateFunction)(task)) return false;
    return task['type'] !== 'group' || hasGraphShape(task['tasks']);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
