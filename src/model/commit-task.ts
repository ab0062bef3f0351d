/** The task dagwright adds after each bookmark task to commit its bookmark. */
import { ITEM_TEMPLATE } from '../contract/index.js';
import { isInside, type SpecEntry } from './flatten.js';
import { reachable } from './graph.js';
import type { ForEachModel, TaskModel } from './types.js';

export interface CommitOptions {
  readonly entry: SpecEntry;
  /** A mapped bookmark's commit is mapped the same way: copy i commits bookmark copy i's run. */
  readonly forEach: ForEachModel | undefined;
  readonly bookmark: string;
  readonly connection: string | undefined;
  /** Every task of the spec, in definition order. */
  readonly leafIds: readonly string[];
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  /** The groups around the bookmark task, innermost first. */
  readonly groupChain: readonly string[];
  readonly retry: TaskModel['retry'];
}

/**
 * The commit task of a bookmark: it runs once the bookmark and every task after it have
 * succeeded or skipped (an empty batch skips dq and load). It waits on every one of them, not
 * only the last: a task that runs whatever happened before it (`all_done`, `one_failed`, ...)
 * must not hide a failed load, or the batch would be committed and never loaded.
 *
 * It sits in the innermost group that holds all of those tasks: a group's last tasks are the
 * ones with nothing after them inside it, so a commit left in a group that something runs
 * after would become one of its last tasks, upstream of a task it waits on (a cycle).
 */
export function commitTask(options: CommitOptions): Omit<TaskModel, 'executionTimeoutSeconds' | 'pool' | 'slaSeconds'> {
  const { entry, bookmark, downstream } = options;
  const descendants = reachable(entry.id, (id) => downstream.get(id) ?? []);
  const handled = options.leafIds.filter((id) => id === entry.id || descendants.has(id));
  const groupId = options.groupChain.find((group) => handled.every((id) => isInside(id, group)));
  const name = (groupId === undefined ? entry.id : entry.id.slice(groupId.length + 1)).replaceAll('.', '_');
  return {
    taskId: `${groupId === undefined ? '' : `${groupId}.`}${name}_commit`,
    groupId,
    path: entry.path,
    doc:
      options.forEach === undefined
        ? `Commits bookmark ${bookmark} once ${entry.id} and the tasks after it have succeeded (or skipped an empty batch).`
        : `Commits the bookmark of each copy of ${entry.id} (${bookmark.replace(ITEM_TEMPLATE, '<item>')}) once every copy of ${entry.id} and of the tasks after it has succeeded (or skipped).`,
    upstream: handled,
    retry: options.retry,
    poolSlots: undefined,
    triggerRule: 'none_failed',
    forEach: options.forEach,
    outlets: [],
    details: { type: 'bookmark_commit', bookmark, connection: options.connection },
  };
}
