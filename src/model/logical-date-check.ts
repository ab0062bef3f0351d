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
/**
 * A context name: not a filter of the same name (`{{ dag_run.run_after | ds }}` is fine),
 * not an attribute of something else (`params.ds`, `dag_run.conf.ds`); with `runAttribute`,
 * also the run's own attribute of that name (`dag_run.logical_date`).
 */
function contextName(names: readonly string[], runAttribute: boolean): RegExp {
  const alternatives = names.join('|');
  // `dag_run.logical_date or ...` falls back when the run has none: that is the point of it.
  const own = runAttribute ? `|(?<![\\w.])dag_run\\s*\\.\\s*(${alternatives})(?!\\w)(?!\\s*\\)?\\s+or\\b)` : '';
  return new RegExp(`(?<!\\|\\s*)(?<![\\w.])(${alternatives})(?!\\w)${own}`);
}
const NAME = contextName(LOGICAL_DATE_NAMES, true);

/** `dag_run.run_after`, or `dag_run['run_after']` (matched before string literals are blanked). */
const RUN_AFTER = /(?<![\w.])dag_run\s*(?:\.\s*run_after(?!\w)|\[\s*(['"])run_after\1\s*\])/;

/** Context variables of Airflow 2 that Airflow 3 removed, with what to write instead. */
const REMOVED_IN_3: Readonly<Record<string, string>> = {
  execution_date: 'use {{ logical_date }}',
  next_execution_date: 'use {{ data_interval_end }}',
  next_ds: 'use {{ data_interval_end | ds }}',
  next_ds_nodash: 'use {{ data_interval_end | ds_nodash }}',
  prev_execution_date: 'Airflow 3 removed it: use {{ data_interval_start }}, or {{ prev_data_interval_start_success }} for the last successful run',
  prev_execution_date_success: 'use {{ prev_data_interval_start_success }}',
  prev_ds: 'Airflow 3 removed it: use {{ data_interval_start | ds }}, or {{ macros.ds_add(ds, -1) }} for the day before',
  prev_ds_nodash: 'Airflow 3 removed it: use {{ data_interval_start | ds_nodash }}',
  yesterday_ds: 'use {{ macros.ds_add(ds, -1) }}',
  yesterday_ds_nodash: "use {{ macros.ds_format(macros.ds_add(ds, -1), '%Y-%m-%d', '%Y%m%d') }}",
  tomorrow_ds: 'use {{ macros.ds_add(ds, 1) }}',
  tomorrow_ds_nodash: "use {{ macros.ds_format(macros.ds_add(ds, 1), '%Y-%m-%d', '%Y%m%d') }}",
  triggering_dataset_events: 'use {{ triggering_asset_events }}',
  expanded_ti_count: 'Airflow 3 removed it',
  conf: "Airflow 3 removed Airflow's configuration from the template context",
};
const REMOVED_NAME = contextName(Object.keys(REMOVED_IN_3), false);

/** Context names that are also Airflow's template filters of a datetime (`x | ds`). */
const DATE_FILTERS: ReadonlySet<string> = new Set(['ds', 'ds_nodash', 'ts', 'ts_nodash', 'ts_nodash_with_tz']);

/** What an asset-triggered run on 3.x offers instead of a logical-date name. */
function runAfterForm(name: string): string {
  if (DATE_FILTERS.has(name)) return `{{ dag_run.run_after | ${name} }}`;
  return '{{ dag_run.run_after }}';
}

/** The logical date where the run has one, else the trigger time, in the form of `name`. */
function fallbackForm(name: string): string {
  const filter = DATE_FILTERS.has(name) ? ` | ${name}` : '';
  return `{{ (dag_run.logical_date or dag_run.run_after)${filter} }}`;
}

/** The first match of `pattern` in a text's Jinja expressions, outside string literals (`raw`: with them). */
function templateReference(text: string, pattern: RegExp, raw = false): string | undefined {
  for (const block of text.match(JINJA_BLOCK) ?? []) {
    const match = pattern.exec(raw ? block : block.replace(QUOTED, "''"));
    if (match) return match[1] ?? match[2] ?? match[0];
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

/** Assets or time: some runs have a logical date (the timed ones), some do not. */
function scheduleHasTimeToo(spec: PipelineSpec): boolean {
  return scheduleHasAssets(spec) && typeof spec.schedule === 'object' && spec.schedule !== null && ('cron' in spec.schedule || 'every' in spec.schedule);
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

/** Every task field whose template reads what the target's runs or template context lack. */
export function checkLogicalDateTemplates(source: SpecSource, spec: PipelineSpec, entries: readonly SpecEntry[], target: AirflowTarget): SpecDiagnostic[] {
  const diagnostics: SpecDiagnostic[] = [];
  const reject = (path: readonly (string | number)[], message: string) => diagnostics.push(source.diagnostic('airflow.unsupported-feature', message, path));
  if (!target.assetRunsHaveLogicalDate && scheduleHasAssets(spec)) {
    const timeToo = scheduleHasTimeToo(spec);
    for (const { path, name } of fieldsReading(entries, logicalDateReference)) {
      reject(
        path,
        timeToo
          ? `{{ ${name} }} needs the run's logical date, and on Airflow ${target.version} its timed runs have one, the runs that assets trigger do not: ` +
              `use ${fallbackForm(name)}, the logical date where there is one, else the time it was triggered`
          : `{{ ${name} }} needs the run's logical date, and Airflow ${target.version} gives a run that assets trigger no logical date (only runs of a time schedule have one): ` +
              `use the time it was triggered, ${runAfterForm(name)}, or a time schedule`,
      );
    }
  }
  if (!target.dagRunHasRunAfter) {
    for (const { path } of fieldsReading(entries, (text) => templateReference(text, RUN_AFTER, true))) {
      reject(path, `Airflow ${target.version} has no dag_run.run_after (it came with Airflow 3): use {{ ds }}, the run's logical date, which every run has on ${target.version} (for a run that assets trigger, the time it was triggered)`);
    }
  }
  if (target.major >= 3) {
    for (const { path, name } of fieldsReading(entries, (text) => templateReference(text, REMOVED_NAME))) {
      reject(path, `{{ ${name} }} is not in Airflow ${target.version}'s template context (the task would fail when it renders): ${REMOVED_IN_3[name]}`);
    }
  }
  return diagnostics;
}
