/**
 * The spec reference (docs/spec.md), written from the same schema that validates specs, so
 * the documentation cannot drift from what dagwright accepts.
 */
import { POSITIVE_DURATION_PATTERN } from './duration.js';
import { isDurationSchema, pipelineSchema, TASK_TYPE_PROPERTIES, TASK_TYPES, taskSchema } from './schema.js';

type Schema = Record<string, unknown>;

const TYPE_INTRO: Record<string, string> = {
  s3_sensor: 'Waits for an S3 key (the Amazon provider\'s S3KeySensor), deferrable by default, so no worker slot is held while waiting.',
  bookmark: 'Begins an incremental batch through the bookmarks service: the new objects since the last committed run. A `<task>_commit` task is added after everything downstream has succeeded; a run that fails before it gets the same batch again. `source` is Jinja-templated; with `for_each`, each item is a bookmark of its own (see `for_each`).',
  dq_check: 'Evaluates a DQDL ruleset through the dq service; with `quarantine`, failing rows go to a dead-letter prefix and passing rows flow on. The ruleset is parsed by `validate`; File rules (`FileFreshness`, `FileMatch`, `FileSize`, `FileUniqueness`) are refused, since they inspect S3 files, which only AWS Glue evaluates.',
  warehouse_available: 'Waits until the loader reports the warehouse available (not paused, resizing or in maintenance), deferrable by default.',
  load: 'Loads a batch through the loader service: append, merge or replace in one transaction (straight into the table when the write is a plain insert, else through a staging table), recorded in a load ledger so a re-run never loads twice. The batch is an upstream task\'s (`input`), or the objects at `source`, which the task lists when it runs with the Airflow AWS connection `aws_conn_id` (data objects only, by the rule the bookmarks and dq services use: no file or folder below the prefix whose name starts with `.`, or with `_` and holds no `=` (`_SUCCESS`, `_temporary/`, `_dagwright/`), no folder markers and no `._COPYING_` copies; in key order; at most 5000 objects, since the list travels in the request: a larger source belongs to a bookmark, whose batches travel as a manifest) and sends as the batch; a prefix with no data objects fails the task. A retry lists again: a job that failed is simply tried with the new listing, but while an earlier try\'s job is running, or once it has succeeded, a listing that changed meanwhile gets `409 Idempotency.Conflict` (docs/service-protocol.md) rather than a second load under the same key.',
  glue_job: 'Runs an AWS Glue job through the Amazon provider\'s GlueJobOperator (deferrable), with the Glue job bookmark option. `timeout` is the run\'s own Glue `Timeout` (whole minutes, rounded up; Glue\'s job default, 48 h for batch jobs, without one), so Glue stops the run and a retry never runs beside it; the task waits 10 minutes longer to see the run end (its execution_timeout, and on 3.0/3.1 the provider\'s waiter, which gave up after 75 minutes by default), and stops the run if the task is killed (`stop_job_run_on_kill`).',
  notify: 'Publishes a message to an SNS topic.',
  http: 'Calls an HTTP endpoint through an Airflow connection; failures carry codes (`HTTP.503`, `Transport.Unavailable`, or a problem+json `code`) for retry policies.',
  bash: 'Runs a bash command. With `for_each`, each mapped copy sees its item as `$ITEM`. `command` is always run as a command: BashOperator reads a `bash_command` that ends in `.sh` or `.bash` as the path of a Jinja template file (its `template_ext`, on Airflow 2.x and 3.x alike), so a command ending in either (`run.sh`, `./load.bash`) is generated with a trailing space, Airflow\'s documented way to run a script as it is; bash ignores the space. The script itself is not templated.',
  python: 'Calls `package.module:function` (imported, never inline code). With `for_each`, each mapped copy gets its item as the first argument.',
  empty: 'Does nothing; a join point.',
  group: 'A TaskGroup with nested `tasks`. References inside resolve to siblings first, then outwards; `group.task` names a task from anywhere. A group\'s `pool`, `pool_slots`, `retry` and `timeout` are defaults of every task inside it: a task\'s own field wins, an inner group\'s wins over an outer one\'s, and a map-form `retry` merges field by field (a list of policies needs tasks that take one). Its `trigger_rule` decides when the group starts: it goes to the group\'s first tasks, those its `after` edges land on.',
};

function describe(schema: Schema): string {
  const text = String(schema['description'] ?? '');
  const values = schema['enum'] as unknown[] | undefined;
  return values ? `${text} One of: ${values.map((v) => `\`${String(v)}\``).join(', ')}.` : text;
}

function typeOf(schema: Schema): string {
  if (schema['enum']) return 'string';
  if (schema['const'] !== undefined) return `\`${JSON.stringify(schema['const'])}\``;
  if (schema['anyOf']) return 'see below';
  if (isDurationSchema(schema)) return schema['pattern'] === POSITIVE_DURATION_PATTERN ? 'duration > 0' : 'duration';
  const type = schema['type'];
  return Array.isArray(type) ? type.join(' \\| ') : String(type ?? 'any');
}

/** The schema's `default` for a field, the value validation writes in when the spec leaves it out. */
function defaultOf(schema: Schema): string {
  if (!('default' in schema)) return '';
  const value = schema['default'];
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

function table(properties: Record<string, Schema>, required: readonly string[]): string {
  const rows = Object.entries(properties).map(
    ([name, schema]) => `| \`${name}\` | ${typeOf(schema)} | ${required.includes(name) ? 'yes' : ''} | ${defaultOf(schema)} | ${describe(schema).replace(/\|/g, '\\|')} |`,
  );
  return ['| field | type | required | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function specReference(): string {
  const top = pipelineSchema['properties'] as Record<string, Schema>;
  const defaults = (top['defaults'] as Schema)['properties'] as Record<string, Schema>;
  const common = taskSchema('empty')['properties'] as Record<string, Schema>;
  const sections = [
    '# The pipeline spec (dagwright/v1)',
    '',
    '<!-- Generated from src/spec/schema.ts by `dagwright schema --markdown`; do not edit by hand. -->',
    '',
    'One YAML file per pipeline. Durations are written `90s`, `5m`, `2h`, `1d` or combined (`1h30m`). Editors autocomplete specs that start with `# yaml-language-server: $schema=<path>/schema/pipeline-v1.json`.',
    '',
    '## Top level',
    '',
    table(top, pipelineSchema.required),
    '',
    '`schedule` is a preset (`@once`, `@continuous`, `@hourly`, `@daily`, `@weekly`, `@monthly`, `@quarterly`, `@yearly`), a five-field cron string, `{cron: <preset or cron>, semantics: interval|trigger}`, `{every: <duration>, semantics: interval|trigger}`, `{assets: <condition>}`, `{cron: ..., semantics, assets: <condition>}` or `{every: ..., semantics, assets: <condition>}` (assets or time), or `null`.',
    '',
    'An asset is a Dataset on Airflow 2.x and an Asset on 3.x, named by its URI. An asset condition is a list of URIs or conditions, which means all of them (a run starts once every one has been updated since the last run, as Airflow reads a list), `{all: [...]}` (the same), or `{any: [...]}` (a run starts when any one is updated); the members of `any` and `all` are URIs or conditions in turn, so they nest: `{any: [s3://a/x, {all: [s3://b/y, s3://b/z]}]}`. A list of URIs is written as the list it is; other conditions as `DatasetAny`/`DatasetAll` (2.x) or `AssetAny`/`AssetAll` (3.x). With a `cron` or `every` as well, the DAG runs on either: at each time of that schedule, the same explicit timetable with the same `semantics` as without assets (so a timed run reads the same data interval), and also whenever the condition is met: `DatasetOrTimeSchedule` on 2.x, `AssetOrTimeSchedule` on 3.x. An asset-triggered run, with or without a time schedule, is as Airflow makes it: on 2.x its data interval spans those of the runs whose updates triggered it, on 3.x it has no logical date and no data interval, so on 3.x a spec whose schedule has assets is rejected (`airflow.unsupported-feature`, at the field) when a task template reads `ds`, `ds_nodash`, `ts`, `logical_date`, `data_interval_start` or another value of the logical date: write `{{ dag_run.run_after | ds }}`, the time the run was triggered, instead. With a time schedule as well, write `{{ (dag_run.logical_date or dag_run.run_after) | ds }}`: the logical date of a timed run (so its data interval does not shift), the trigger time of a run that assets start. On 2.x, whose runs have no `run_after`, a template that reads `dag_run.run_after` is rejected the same way: write `{{ ds }}` there, since every 2.x run has a logical date. No template reads the trigger time on both majors, so a consumer scheduled on assets names its target with `airflow:` (or is written once per major), and the default target of `validate` (2.10) is not the default of `local up` (3.1). And on 3.x, whatever the schedule, a template that reads a variable Airflow 3 removed from the template context (`execution_date`, `next_ds`, `prev_ds`, `yesterday_ds`, `tomorrow_ds` and their `_nodash` forms, `next_execution_date`, `prev_execution_date`, `triggering_dataset_events`, `conf`) is rejected, with what to write instead. A name that only ends in one of these (`params.ds`, `dag_run.conf.ds`) is not the context\'s and is not checked.',
    '',
    'Asset URIs are written in the generated DAG in the form Airflow keeps as it is, since Airflow rewrites the others, and on 3.x an Asset\'s name stays as written while its URI is rewritten, so two spellings of one URI would be two assets. A rewrite that loses nothing is made by dagwright, with an `asset.rewritten` warning that says what to write: a lower-case scheme, no trailing slash (`s3://b/k/` is written `s3://b/k`), and `/` for an empty path (`s3://bucket` is written `s3://bucket/`). Anything Airflow rejects or loses part of is a located `spec.bad-value` error: characters other than printable ASCII, a leading or trailing space, more than 1500 characters (Airflow 3\'s limit), the scheme `airflow`, user info, a `?query` or `#fragment`, a scheme without `//` and an authority (only `file:///` may have an empty one), an `s3://` URI without a bucket, and the names `self` and `context`. A URI whose scheme starts with `x-` (which Airflow never rewrites) and a plain name with no scheme are kept exactly as written. Provider schemes with a normaliser of their own (such as `postgres://`) should be written in the provider\'s canonical form.',
    '',
    'A periodic schedule means the same on every Airflow version: dagwright writes an explicit timetable rather than a cron string, which Airflow 3 would turn into a trigger timetable (its `[scheduler] create_cron_data_intervals` defaults to False) and 2.x into a data-interval one. With `semantics: interval`, the default, a run covers the interval that just ended and its logical date (`ds`) is that interval\'s start, as on Airflow 2.x: a preset or cron becomes `CronDataIntervalTimetable(cron, timezone=...)` (presets as Airflow maps them: `@hourly` is `0 * * * *`), and `every` becomes `DeltaDataIntervalTimetable`. With `semantics: trigger`, the logical date is the time the run was due and the data interval is empty: `CronTriggerTimetable` or `DeltaTriggerTimetable` (Airflow 2.11+; rejected for 2.10). `@once`, `@continuous` and `null` are written as they are.',
    '',
    '`sla` becomes task SLAs on the tasks that finish a run plus an SNS `sla_miss_callback` on Airflow 2.x, and a DAG deadline alert on Airflow 3.1+, counted from when the run is queued (`DAGRUN_QUEUED_AT`): a scheduled run at its scheduled time (an interval run\'s logical date is an interval earlier), and an asset-triggered or manual run, which may have no logical date, when it is queued. Airflow 2.x checks SLAs only against the timetable\'s next run, so `sla` is rejected on 2.x with a null, `@once`, `@continuous` or assets-only schedule, where it would never fire (with assets or time, it is checked against the time schedule\'s next run), and a manual run of a periodic DAG is checked against the next scheduled time. Airflow 3.0 has neither, so a spec with `sla` is rejected for 3.0. With `on_failure.sns`, the alert names the run: on 2.x the SNS message lists each missed task with its run\'s logical date; on 3.1+ it reads `DAG <dag> run <run id> missed its deadline: not done <sla> after it was queued at <time>.` (without `on_failure`, 3.1 logs the same as a warning in the triggerer).',
    '',
    '## defaults',
    '',
    table(defaults, []),
    '',
    '## on_failure',
    '',
    table((top['on_failure'] as Schema)['properties'] as Record<string, Schema>, ['sns']),
    '',
    '## Fields every task accepts',
    '',
    table(Object.fromEntries(Object.entries(common).filter(([name]) => name !== 'type')), []),
    '',
    '`retry` is either a map `{attempts, delay, backoff, max_delay}` (Airflow\'s own retries, merged over `defaults.retry`), or a list of policies, Step Functions style: `[{on: [codes], attempts, delay, backoff, max_delay}]`. With a list, the first policy whose `on` matches the error code decides (exact code, a dotted prefix such as `Warehouse`, or `ALL` for any retryable code); the operator waits by deferring (no worker slot held), honours `Retry-After`, and an error no policy lists fails at once with no retry (`AirflowFailException`, which Airflow never retries), except what is not the data\'s fault: a service\'s backpressure (`Service.Busy`, `Service.ShuttingDown`) is waited out on its `Retry-After` (up to 60 waits, within the task\'s timeout), and a job whose service stopped mid-way (`Job.Interrupted`) is left to Airflow\'s retries, which post again under the same key. Airflow\'s own retries are kept for failures that are not service errors: the task gets `retries: 2`, `retry_delay` the first policy\'s `delay` (5m if it has none), fixed; they cover a worker lost mid-call, a timed-out try and a crashed trigger, and resubmit with the same Idempotency-Key; a policy\'s `attempts` count within one Airflow try. Lists are accepted on `bookmark`, `dq_check`, `load` and `http` tasks; the codes are in docs/service-protocol.md. `validate` rejects a code that no service or operator reports (a typo would never match), with a did-you-mean; declare codes of your own (an `http` endpoint\'s) in the top-level `error_codes`.',
    '`timeout` means the same on every Airflow version. For a task it is how long one try may take, deferred waits included: Airflow 2.x bounds a deferral by execution_timeout, 3.x does not (apache/airflow#69678), so the dagwright operators (bookmark, dq_check, load, http) record the try\'s deadline at its start, carry it through every deferral and defer with the time left; a try past it fails with `AirflowTaskTimeout`, which Airflow\'s retries retry. For a sensor (`s3_sensor`, `warehouse_available`) it is how long to wait in all: the sensor gets `retries=0`, since 2.x retried a timed-out deferrable sensor with a fresh timeout (3 retries made `2h` wait 8h), and a `retry` on a sensor is a warning (`retry.ignored-on-sensor`). For `glue_job`, see below.',
    '',
    '`outlets` lists the assets a task updates: when the task succeeds, Airflow records an update of each, which starts the runs of DAGs scheduled on them (a task that fails or is skipped, such as a `load` of an empty batch, updates none; but a mapped copy with an empty batch succeeds without calling its service, so it does update its outlets although it loaded nothing: a DAG scheduled on them must take a run with nothing new). A `load` updates its table\'s asset by default, `dagwright://<warehouse>/<table>` with the table as the spec writes it (`dagwright://analytics/analytics.orders`); its own `outlets` replace that default (list it too to keep it), and `outlets: []` updates none. A URI may be listed once; a `group` takes no `outlets` (its tasks do). A pipeline scheduled on an asset one of its own tasks updates would start itself again after every run that succeeds: that is an `asset.self-trigger` warning.',
    '',
    '`for_each` maps a `bash`, `python`, `bookmark`, `dq_check` or `load` task over a list of values, or over the list another task returns (`{from: task, max_parallel: N}`), with Airflow dynamic task mapping (`partial().expand()`): one copy per item, each with its own map index (part of its Idempotency-Key). The task `from` names must be one that can return a list: a `python` task (what its callable returns) or an `http` task (its response\'s JSON); that the value is a list is the callable\'s or the endpoint\'s to ensure, and a value that is not one fails the mapped task when the DAG runs. Every other type returns no list (a `bookmark`, `dq_check` or `load` its service\'s result object, `glue_job` its run id, `notify` the SNS message id, `bash` its output\'s last line, `empty` and the sensors nothing), so `validate` rejects it (`for_each.not-a-list`).',
    '',
    'A mapped `bookmark`, `dq_check` or `load` task reads its item as `{{ item }}` in the fields its operator renders with Jinja: a bookmark\'s `source`, a dq_check\'s `ruleset` and `dataset`, a load\'s `source`. `{{ item }}` anywhere else, or in a task without `for_each`, is an error (`for_each.item-unavailable`). Their items must be strings or numbers, each given once and not empty (`for_each.bad-item`); items from `{from: task}` are checked when the task runs (a string or a number, else the copy fails). For example, one load per region:',
    '',
    '```yaml',
    'load_region:',
    '  type: load',
    '  for_each: [us, eu, apac]',
    '  source: "s3://sales/{{ item }}/dt={{ ds }}/"',
    '  warehouse: analytics',
    '  table: sales',
    '  mode: append',
    '```',
    '',
    'A task that reads a mapped task\'s batch (a dq_check after a mapped bookmark, a load after a mapped dq_check) reads the batch of the copy with its own map index, so it must be mapped the same way: the same values in the same order, or the same `from` task (`for_each.mapped-input` otherwise; give a load a `source`, or a dq_check a `dataset`, to read something else). Copies of a mapped `dq_check` may all read one unmapped batch (each checks it with its own ruleset); copies of a mapped `load` may not (each would load the same batch into the same table once per item: `for_each.mapped-input`). Airflow starts a copy once every copy of its upstream tasks is done, so one failed copy stops the copies after it (and the commits) for every item. A mapped copy whose batch holds no new objects succeeds without calling its service, handing the empty batch on (an unmapped task skips instead): a skipped copy would skip every copy of the tasks after it.',
    '',
    'Each copy of a mapped `bookmark` is a bookmark of its own, `<pipeline>.<task>.<item>` (so an item takes only letters, digits, `_`, `.` and `-`), and its `<task>_commit` is mapped the same way: each commit copy commits its item\'s run once every copy of the bookmark and of every task after it has succeeded or skipped.',
    '',
    '## Task types',
  ];
  for (const type of TASK_TYPES) {
    const own = TASK_TYPE_PROPERTIES[type];
    sections.push('', `### \`${type}\``, '', TYPE_INTRO[type] ?? '');
    if (Object.keys(own.properties).length > 0) sections.push('', table(own.properties as Record<string, Schema>, own.required));
  }
  return sections.join('\n') + '\n';
}
