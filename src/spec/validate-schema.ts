import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseCalendarDate } from './calendar-date.js';
import type { SpecDiagnostic } from './diagnostics.js';
import { closest } from './did-you-mean.js';
import { canonicalAssetUri, checkAssetUri } from './asset-uri.js';
import { cronProblem, isSchedulePreset, PRESET_CRON, SCHEDULE_PRESETS } from './cron.js';
import { parseDuration } from './duration.js';
import { isDurationSchema, isTaskType, pipelineSchema, TASK_ID_PATTERN, TASK_TYPES, taskSchema, type TaskTypeName } from './schema.js';
import type { SpecPath, SpecSource } from './source.js';
import { specAjv } from './spec-ajv.js';
import type { PipelineSpec } from './types.js';

const validatePipeline = specAjv.compile(pipelineSchema);
const taskValidators = new Map<TaskTypeName, ValidateFunction>(TASK_TYPES.map((type) => [type, specAjv.compile(taskSchema(type))]));

/**
 * Checks a parsed spec against the schema, collecting every problem. Tasks are checked one
 * by one against the schema of their own type, so a mistake is reported as the user meant it.
 */
export function validateSchema(source: SpecSource): { spec?: PipelineSpec; diagnostics: SpecDiagnostic[] } {
  const data = source.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { diagnostics: [source.diagnostic('yaml.not-a-mapping', 'a spec is a YAML mapping of fields', [])] };
  }
  const diagnostics: SpecDiagnostic[] = [];
  if (!validatePipeline(data)) diagnostics.push(...toDiagnostics(source, [], validatePipeline.errors ?? []));
  const record = data as Record<string, unknown>;
  checkSchedule(source, record['schedule'], diagnostics);
  checkCalendar(source, record, diagnostics);
  checkVersionIsQuoted(source, record['airflow'], diagnostics);
  checkTasks(source, record['tasks'], ['tasks'], diagnostics);
  return diagnostics.length === 0 ? { spec: data as PipelineSpec, diagnostics } : { diagnostics };
}

function checkTasks(source: SpecSource, tasks: unknown, path: SpecPath, diagnostics: SpecDiagnostic[]): void {
  if (tasks === null || typeof tasks !== 'object' || Array.isArray(tasks)) return;
  for (const [id, task] of Object.entries(tasks)) {
    const taskPath = [...path, id];
    if (!new RegExp(TASK_ID_PATTERN).test(id)) {
      diagnostics.push(
        source.diagnostic('spec.bad-name', `task id "${id}" must start with a letter or _ and hold only letters, digits, _ and -`, taskPath, 'key'),
      );
    }
    if (task === null || typeof task !== 'object' || Array.isArray(task)) {
      diagnostics.push(source.diagnostic('spec.wrong-type', 'a task is a mapping with at least a type', taskPath));
      continue;
    }
    const type = (task as Record<string, unknown>)['type'];
    if (typeof type !== 'string') {
      diagnostics.push(
        source.diagnostic('spec.missing-key', `task "${id}" needs a type: one of ${TASK_TYPES.join(', ')}`, taskPath, 'key'),
      );
      continue;
    }
    if (!isTaskType(type)) {
      const suggestion = closest(type, TASK_TYPES);
      diagnostics.push(
        source.diagnostic(
          'spec.unknown-task-type',
          `unknown task type "${type}"` + (suggestion ? `; did you mean "${suggestion}"?` : `; the types are ${TASK_TYPES.join(', ')}`),
          [...taskPath, 'type'],
        ),
      );
      continue;
    }
    const validate = taskValidators.get(type);
    if (validate && !validate(task)) diagnostics.push(...toDiagnostics(source, taskPath, validate.errors ?? []));
    checkOutlets(source, (task as Record<string, unknown>)['outlets'], [...taskPath, 'outlets'], diagnostics);
    if (type === 'group') checkTasks(source, (task as Record<string, unknown>)['tasks'], [...taskPath, 'tasks'], diagnostics);
  }
}

function checkOutlets(source: SpecSource, outlets: unknown, path: SpecPath, diagnostics: SpecDiagnostic[]): void {
  if (!Array.isArray(outlets)) return;
  const seen = new Set<string>();
  outlets.forEach((uri: unknown, index) => {
    if (typeof uri !== 'string') return;
    reportBadAssetUri(source, uri, [...path, index], diagnostics);
    const canonical = canonicalAssetUri(uri);
    if (seen.has(canonical)) diagnostics.push(source.diagnostic('spec.bad-value', `"${uri}" is listed twice in outlets`, [...path, index]));
    seen.add(canonical);
  });
}

/** Every URI of an asset condition, wherever it is nested (the schema checks the shape). */
function checkAssetCondition(source: SpecSource, condition: unknown, path: SpecPath, diagnostics: SpecDiagnostic[]): void {
  if (typeof condition === 'string') {
    reportBadAssetUri(source, condition, path, diagnostics);
    return;
  }
  if (Array.isArray(condition)) {
    condition.forEach((member: unknown, index) => checkAssetCondition(source, member, [...path, index], diagnostics));
    return;
  }
  if (condition === null || typeof condition !== 'object') return;
  for (const key of ['any', 'all']) {
    const members = (condition as Record<string, unknown>)[key];
    if (members !== undefined) checkAssetCondition(source, members, [...path, key], diagnostics);
  }
}

/** A URI Airflow would reject or lose part of; the rewrites it keeps the meaning of are warned about in the model. */
function reportBadAssetUri(source: SpecSource, uri: string, path: SpecPath, diagnostics: SpecDiagnostic[]): void {
  if (uri.length === 0) return; // the schema reports it
  const check = checkAssetUri(uri);
  if (check.kind === 'invalid') diagnostics.push(source.diagnostic('spec.bad-value', `asset "${uri}": ${check.why}`, path));
}

function checkSchedule(source: SpecSource, schedule: unknown, diagnostics: SpecDiagnostic[]): void {
  if (typeof schedule === 'string') {
    checkCron(source, schedule, ['schedule'], diagnostics);
    return;
  }
  if (schedule !== null && typeof schedule === 'object' && 'assets' in schedule) {
    checkAssetCondition(source, (schedule as Record<string, unknown>)['assets'], ['schedule', 'assets'], diagnostics);
  }
  const cron = schedule !== null && typeof schedule === 'object' ? (schedule as Record<string, unknown>)['cron'] : undefined;
  if (typeof cron !== 'string') return;
  if (isSchedulePreset(cron) && PRESET_CRON[cron] === undefined) {
    // The map form is for periodic schedules: @once and @continuous have no interval.
    diagnostics.push(source.diagnostic('spec.bad-value', `${cron} is not periodic, so it has no interval or trigger semantics; write schedule: "${cron}"`, ['schedule', 'cron']));
    return;
  }
  checkCron(source, cron, ['schedule', 'cron'], diagnostics);
}

function checkCron(source: SpecSource, schedule: string, path: SpecPath, diagnostics: SpecDiagnostic[]): void {
  if (schedule.startsWith('@')) {
    if (!isSchedulePreset(schedule)) {
      const suggestion = closest(schedule, SCHEDULE_PRESETS);
      diagnostics.push(
        source.diagnostic(
          'spec.bad-cron',
          `unknown schedule preset "${schedule}"` + (suggestion ? `; did you mean "${suggestion}"?` : `; presets are ${SCHEDULE_PRESETS.join(', ')}`),
          path,
        ),
      );
    }
    return;
  }
  const problem = cronProblem(schedule);
  if (problem) diagnostics.push(source.diagnostic('spec.bad-cron', problem, path));
}

function checkCalendar(source: SpecSource, record: Record<string, unknown>, diagnostics: SpecDiagnostic[]): void {
  const startDate = record['start_date'];
  // The schema checks the YYYY-MM-DD shape; this checks the day exists.
  if (typeof startDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(startDate) && !parseCalendarDate(startDate)) {
    diagnostics.push(source.diagnostic('spec.bad-value', `start_date ${startDate} is not a day of the calendar`, ['start_date']));
  }
  const timezone = record['timezone'];
  if (typeof timezone === 'string') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      diagnostics.push(source.diagnostic('spec.bad-value', `"${timezone}" is not an IANA time zone such as UTC or Europe/Paris`, ['timezone']));
    }
  }
}

function checkVersionIsQuoted(source: SpecSource, version: unknown, diagnostics: SpecDiagnostic[]): void {
  if (typeof version === 'number') {
    // The schema reports the type; say why, since YAML reads 2.10 as the number 2.1.
    const index = diagnostics.findIndex((d) => d.path === '/airflow');
    const [start, end] = source.rangeOf(['airflow']);
    const written = source.text.slice(start, end).trim();
    const message = `the Airflow version must be a quoted string: YAML reads ${written} as the number ${String(version)}; write airflow: "${written}"`;
    const diagnostic = source.diagnostic('spec.wrong-type', message, ['airflow']);
    if (index >= 0) diagnostics[index] = diagnostic;
    else diagnostics.push(diagnostic);
  }
}

/**
 * Turns ajv's errors into diagnostics at the right key or value, one per real mistake.
 * A union (anyOf) is reported once at its own level; errors deeper inside it are kept,
 * since they come from the branch whose shape matched.
 */
function toDiagnostics(source: SpecSource, base: SpecPath, errors: readonly ErrorObject[]): SpecDiagnostic[] {
  const diagnostics: SpecDiagnostic[] = [];
  const seen = new Set<string>();
  const unwrapped = errors.map(withSchemaMessage);
  const unionPaths = new Set(unwrapped.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const error of unwrapped) {
    if (error.keyword === 'anyOf') {
      if (unwrapped.some((e) => e.instancePath.startsWith(error.instancePath + '/'))) continue;
    } else if (unionPaths.has(error.instancePath)) {
      continue;
    }
    const diagnostic = toDiagnostic(source, [...base, ...parsePointer(error.instancePath)], error);
    const key = `${diagnostic.code}:${diagnostic.pos[0]}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/** ajv-errors' error for a message the schema gives is read as the error it stands for, with that message. */
function withSchemaMessage(error: ErrorObject): ErrorObject {
  if (error.keyword !== 'errorMessage') return error;
  const [original] = (error.params as { errors: ErrorObject[] }).errors;
  return original === undefined || error.message === undefined ? error : { ...original, message: error.message };
}

/** A field as a user finds it: its key, with the indices below it (`on[0]`, not `0`). */
function fieldName(path: SpecPath): string {
  const isIndex = (segment: unknown) => typeof segment === 'number' || /^\d+$/.test(String(segment));
  let i = path.length - 1;
  while (i >= 0 && isIndex(path[i])) i--;
  if (i < 0) return path.length > 0 ? String(path[path.length - 1]) : 'spec';
  return `${String(path[i])}${path.slice(i + 1).map((n) => `[${String(n)}]`).join('')}`;
}

/** A wrong type; a string field with a pattern message (a duration, a name) says what it expects. */
function typeMessage(source: SpecSource, path: SpecPath, field: string, error: ErrorObject): string {
  const expected = String((error.params as { type: string }).type);
  const patternMessage = ((error.parentSchema as { errorMessage?: { pattern?: string } } | undefined)?.errorMessage ?? {}).pattern;
  const value = valueAt(source.data, path);
  if (expected === 'string' && patternMessage !== undefined && (typeof value === 'number' || typeof value === 'boolean')) {
    return `"${field}" is ${String(value)}, a ${typeof value}; ${patternMessage}`;
  }
  return `"${field}" must be ${article(expected)}`;
}

/** A key of a mapping that none of a union's mapping shapes has, with a did-you-mean. */
function unknownKeyOfUnion(source: SpecSource, path: SpecPath, error: ErrorObject): SpecDiagnostic | undefined {
  const value = valueAt(source.data, path);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const shapes = ((error.parentSchema as { anyOf?: unknown[] } | undefined)?.anyOf ?? []) as Array<{ properties?: object }>;
  const known = [...new Set(shapes.flatMap((shape) => Object.keys(shape.properties ?? {})))];
  if (known.length === 0) return undefined;
  const extra = Object.keys(value).find((key) => !known.includes(key));
  if (extra === undefined) return undefined;
  const suggestion = closest(extra, known);
  const hint = suggestion ? `; did you mean "${suggestion}"?` : `; allowed here: ${known.join(', ')}`;
  return source.diagnostic('spec.unknown-key', `unknown key "${extra}" in "${fieldName(path)}"${hint}`, [...path, extra], 'key');
}

function toDiagnostic(source: SpecSource, path: SpecPath, error: ErrorObject): SpecDiagnostic {
  const field = fieldName(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(((error.parentSchema as { properties?: object }).properties ?? {}) as object);
      const suggestion = closest(extra, allowed);
      const hint = suggestion ? `; did you mean "${suggestion}"?` : allowed.length > 0 ? `; allowed here: ${allowed.join(', ')}` : '';
      return source.diagnostic('spec.unknown-key', `unknown key "${extra}"${hint}`, [...path, extra], 'key');
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const where = path.length === 0 ? 'the spec' : `"${field}"`;
      return source.diagnostic('spec.missing-key', `${where} needs the key "${missing}"`, path, path.length === 0 ? 'value' : 'key');
    }
    case 'type':
      return source.diagnostic('spec.wrong-type', typeMessage(source, path, field, error), path);
    case 'pattern':
      return patternDiagnostic(source, path, field, error);
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const value = String(valueAt(source.data, path));
      const suggestion = closest(value, allowed);
      return source.diagnostic(
        'spec.bad-value',
        `"${field}" must be one of ${allowed.join(', ')}` + (suggestion ? `; did you mean "${suggestion}"?` : ''),
        path,
      );
    }
    case 'const':
      return source.diagnostic('spec.bad-value', `"${field}" must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`, path);
    case 'anyOf': {
      // A mapping with a key no shape of the union has: that key is the mistake, said as such.
      const unknown = unknownKeyOfUnion(source, path, error);
      if (unknown !== undefined) return unknown;
      // The schema says what the union takes; a list member is told it without its index.
      const message = error.message ?? 'has the wrong shape';
      return source.diagnostic('spec.wrong-type', /^\d+$/.test(field) ? message : `"${field}": ${message}`, path);
    }
    case 'minimum':
    case 'maximum':
    case 'minItems':
    case 'minLength':
    case 'minProperties':
    case 'maxLength':
      return source.diagnostic('spec.bad-value', `"${field}" ${error.message ?? 'is out of range'}`, path);
    default:
      return source.diagnostic('spec.bad-value', `"${field}" ${error.message ?? 'is not valid'}`, path);
  }
}

/** A value that breaks its field's pattern, told what the field expects (the schema's `errorMessage`). */
function patternDiagnostic(source: SpecSource, path: SpecPath, field: string, error: ErrorObject): SpecDiagnostic {
  const written = valueAt(source.data, path);
  const value = JSON.stringify(written);
  const isDuration = isDurationSchema(error.parentSchema ?? {});
  if (isDuration && parseDuration(String(written)) === 0) {
    return source.diagnostic('spec.bad-duration', `"${field}" is ${value}: it must be longer than zero`, path);
  }
  const code = isDuration ? 'spec.bad-duration' : field === 'name' ? 'spec.bad-name' : 'spec.bad-value';
  return source.diagnostic(code, `"${field}" is ${value}; ${error.message ?? ''}`, path);
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[type] ?? `of type ${type}`;
}

function parsePointer(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[String(part)];
  }
  return current;
}
