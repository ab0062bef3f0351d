import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { FieldError } from './errors/problem.js';

export type { SchemaObject } from 'ajv';

/** One ajv instance for the kit; schemas are compiled once, at start-up. */
const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: true });
formatsModule.default(ajv);

export function compileSchema(schema: SchemaObject): ValidateFunction {
  return ajv.compile(schema);
}

/** ajv errors → `{path, message}` with JSON Pointers that name the field. */
export function fieldErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = `${path}/${String((e.params as { missingProperty: string }).missingProperty)}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
      message = 'is not allowed';
    }
    return { path: `${prefix}${path}`, message };
  });
}
