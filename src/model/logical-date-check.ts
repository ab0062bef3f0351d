/**
 * Templates that need a run's logical date, where a run may have none. Airflow 3 creates the
 * runs that assets trigger with logical_date=None, and their template context then lacks `ds`,
 * `ts`, `data_interval_start`, ... (Jinja's StrictUndefined fails the task; `dag_run.logical_date`
 * renders "None"). On 2.x such a run's logical date is when it was triggered.
 */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecSource } from '../spec/source.js';
import type { PipelineSpec } from '../spec/types.js';
import type { AirflowTarget } from './airflow-target.js';
import type { SpecEntry } from './flatten.js';

/** The context keys Airflow 3 sets only when the run has a logical date, and the run's own attribute. */
const LOGICAL_DATE_NAMES = [
  'logical_date',
  'ds',
  'ds_nodash',
  'ts',
  'ts_nodash',
  'ts_nodash_with_tz',
  'task_instance_key_str',
  'data_interval_start',
  'data_interval_end',
  'prev_data_interval_start_success',
  'prev_data_interval_end_success',
] as const;

const JINJA_BLOCK = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
/** A name, not a filter of the same name (`{{ dag_run.run_after | ds }}` is fine). */
const NAME = new RegExp(`(?<!\\|\\s*)(?<!\\w)(${LOGICAL_DATE_NAMES.join('|')})(?!\\w)`);

/** The first logical-date name a text's Jinja expressions read, outside string literals. */
export function logicalDateReference(text: string): string | undefined {
  for (const block of text.match(JINJA_BLOCK) ?? []) {
    const match = NAME.exec(block.replace(QUOTED, "''"));
    if (match) return match[1];
  }
  return undefined;
}

function scheduleHasAssets(spec: PipelineSpec): boolean {
  return spec.schedule !== null && typeof spec.schedule === 'object' && 'assets' in spec.schedule;
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(texts);
  return [];
}

/** Every task field whose template reads the logical date, when assets trigger runs that have none. */
export function checkLogicalDateTemplates(source: SpecSource, spec: PipelineSpec, entries: readonly SpecEntry[], target: AirflowTarget): SpecDiagnostic[] {
  if (target.assetRunsHaveLogicalDate || !scheduleHasAssets(spec)) return [];
  const diagnostics: SpecDiagnostic[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'task') continue;
    for (const [field, value] of Object.entries(entry.spec)) {
      const name = texts(value).map(logicalDateReference).find((found) => found !== undefined);
      if (name === undefined) continue;
      diagnostics.push(
        source.diagnostic(
          'airflow.unsupported-feature',
          `{{ ${name} }} needs the run's logical date, and Airflow ${target.version} gives a run that assets trigger no logical date (only runs of a time schedule have one): ` +
            'use the time it was triggered, {{ dag_run.run_after | ds }}, or a time schedule',
          [...entry.path, field],
        ),
      );
    }
  }
  return diagnostics;
}
