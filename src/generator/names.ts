import { PYTHON_KEYWORDS } from '../contract/index.js';

/** Names the generated module defines itself, which task variables must not shadow. */
export const MODULE_NAMES = ['dag', 'default_args', 'notify_failure'] as const;

/**
 * A Python variable name for each task or group id: the id itself where it is a valid,
 * free identifier, else a cleaned-up form made unique with a suffix.
 */
export function variableNames(ids: readonly string[], isTaken: (name: string) => boolean): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^\d/.test(base)) base = `task_${base}`;
    let name = base;
    if (PYTHON_KEYWORDS.has(name) || isTaken(name) || used.has(name)) name = `${base}_task`;
    for (let n = 2; PYTHON_KEYWORDS.has(name) || isTaken(name) || used.has(name); n++) name = `${base}_task_${n}`;
    used.add(name);
    names.set(id, name);
  }
  return names;
}
