/**
 * Templates that read a date the target's runs do not have (Jinja's StrictUndefined fails the
 * task at run time; the spec is rejected instead):
 * - a run's logical date, where a run may have none: Airflow 3 creates the runs that assets
 *   trigger with logical_date=None, and their template context then lacks `ds`, `ts`,
 *   `data_interval_start`, ... (`dag_run.logical_date` renders "None"). On 2.x such a run's
 *   logical date is when it was triggered.
 * - `dag_run.run_after`, which the 3.x message suggests instead, on 2.x: its DagRun has none.
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

const RUN_AFTER = /(?<!\w)dag_run\s*\.\s*run_after(?!\w)/;

/** The first match of `pattern` in a text's Jinja expressions, outside string literals. */
function templateReference(text: string, pattern: RegExp): string | undefined {
  for (const block of text.match(JINJA_BLOCK) ?? []) {
    const match = pattern.exec(block.replace(QUOTED, "''"));
    if (match) return match[1] ?? match[0];
  }
  return undefined;
}

/** The first logical-date name a text's Jinja expressions read, outside string literals. */
export function logicalDateReference(text: string): string | undefined {
  return templateReference(text, NAME);
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

/** Each task field whose templates read what `reads` finds, with what it read. */
function fieldsReading(entries: readonly SpecEntry[], reads: (text: string) => string | undefined): Array<{ path: readonly (string | number)[]; name: string }> {
  const found: Array<{ path: readonly (string | number)[]; name: string }> = [];
  for (const entry of entries) {
    if (entry.kind !== 'task') continue;
    for (const [field, value] of Object.entries(entry.spec)) {
      const name = texts(value).map(reads).find((n) => n !== undefined);
      if (name !== undefined) found.push({ path: [...entry.path, field], name });
    }
  }
  return found;
}

/** Every task field whose template reads a date the target's runs lack. */
export function checkLogicalDateTemplates(source: SpecSource, spec: PipelineSpec, entries: readonly SpecEntry[], target: AirflowTarget): SpecDiagnostic[] {
  const diagnostics: SpecDiagnostic[] = [];
  if (!target.assetRunsHaveLogicalDate && scheduleHasAssets(spec)) {
    for (const { path, name } of fieldsReading(entries, logicalDateReference)) {
      diagnostics.push(
        source.diagnostic(
          'airflow.unsupported-feature',
          `{{ ${name} }} needs the run's logical date, and Airflow ${target.version} gives a run that assets trigger no logical date (only runs of a time schedule have one): ` +
            'use the time it was triggered, {{ dag_run.run_after | ds }}, or a time schedule',
          path,
        ),
      );
    }
  }
  if (!target.dagRunHasRunAfter) {
    for (const { path } of fieldsReading(entries, (text) => templateReference(text, RUN_AFTER))) {
      diagnostics.push(
        source.diagnostic(
          'airflow.unsupported-feature',
          `Airflow ${target.version} has no dag_run.run_after (it came with Airflow 3): use {{ ds }}, the run's logical date, which every run has on ${target.version} (a run that assets trigger, the time it was triggered)`,
          path,
        ),
      );
    }
  }
  return diagnostics;
}
