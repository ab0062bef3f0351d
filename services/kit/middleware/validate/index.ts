import type { RequestHandler } from 'express';
import { Problem, type FieldError } from '../../errors/problem.js';
import { compileSchema, fieldErrors, type SchemaObject } from '../../validation.js';

export interface ValidateOptions {
  /** Schema for the JSON body; errors are pointers into the body (`/source`). */
  readonly body?: SchemaObject;
  /** Schema for path parameters; errors are `/params/<name>`. */
  readonly params?: SchemaObject;
  /** Schema for the query string (strings only); errors are `/query/<name>`. */
  readonly query?: SchemaObject;
}

/**
 * Validates a request against JSON Schemas compiled once. Every failure is
 * collected into one `400 Request.Invalid` whose `errors` name the fields.
 * Defaults from the schemas are filled into the body.
 */
export function validate(options: ValidateOptions): RequestHandler {
  const body = options.body && compileSchema(options.body);
  const params = options.params && compileSchema(options.params);
  const query = options.query && compileSchema(options.query);
  return (req, _res, next) => {
    const errors: FieldError[] = [];
    if (params && !params({ ...req.params })) errors.push(...fieldErrors(params.errors, '/params'));
    if (query && !query({ ...(req.query as object) })) errors.push(...fieldErrors(query.errors, '/query'));
    if (body && !body(req.body)) errors.push(...fieldErrors(body.errors));
    if (errors.length > 0) {
      next(new Problem('Request.Invalid', { detail: errors.map((e) => `${e.path || 'body'} ${e.message}`).join('; '), errors }));
      return;
    }
    next();
  };
}
