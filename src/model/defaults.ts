/**
 * The pipeline's `defaults`, resolved once, and the settings each task or group ends up with:
 * its own, else its groups', else the defaults (the rules are in group-defaults.ts).
 */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import { parseDuration } from '../spec/duration.js';
import type { SpecSource } from '../spec/source.js';
import type { PipelineSpec } from '../spec/types.js';
import { groupChain, isInside, type SpecEntry } from './flatten.js';
import { inheritSettings, type InheritedSettings } from './group-defaults.js';
import type { LeafGraph } from './leaf-graph.js';
import { resolveUniformRetry } from './retry.js';
import { checkMaxDelay } from './retry-check.js';
import type { UniformRetry } from './types.js';

export interface PipelineDefaults {
  readonly retry: UniformRetry;
  readonly timeoutSeconds: number | undefined;
  readonly pool: string | undefined;
}

export function resolveDefaults(source: SpecSource, spec: PipelineSpec): { defaults: PipelineDefaults; diagnostics: SpecDiagnostic[] } {
  const retry = resolveUniformRetry(spec.defaults?.retry);
  const diagnostics = checkMaxDelay(source, spec.defaults?.retry, retry.backoff, ['defaults', 'retry']);
  const timeoutSeconds = spec.defaults?.timeout === undefined ? undefined : parseDuration(spec.defaults.timeout);
  return { defaults: { retry, timeoutSeconds, pool: spec.defaults?.pool }, diagnostics };
}

export interface SettingsScope {
  readonly byId: ReadonlyMap<string, SpecEntry>;
  readonly graph: LeafGraph;
  readonly defaults: PipelineDefaults;
}

/** What a task or group takes from itself, the groups around it and the defaults. */
export function settingsOf(entry: SpecEntry, scope: SettingsScope): InheritedSettings {
  const { byId, graph } = scope;
  return inheritSettings({
    task: entry.spec,
    groups: groupChain(byId, entry.groupId).map((id) => ({ id, spec: (byId.get(id) as SpecEntry).spec, path: (byId.get(id) as SpecEntry).path })),
    isFirstIn: (groupId) => ![...(graph.upstream.get(entry.id) ?? [])].some((up) => isInside(up, groupId)),
    defaults: scope.defaults,
  });
}
