/**
 * The one ajv set up for the spec's schema: every error at once, each field's `default`
 * written into the spec where it is absent, and the schema's own messages (ajv-errors'
 * `errorMessage`) on the errors.
 */
import { Ajv } from 'ajv';
import ajvErrors from 'ajv-errors';

export const specAjv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, useDefaults: true });
ajvErrors.default(specAjv);
