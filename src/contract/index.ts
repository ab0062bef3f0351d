/**
 * The values a spec, the DAG generated from it and the services all use, defined once.
 * test/contract holds the sides together: every value the spec allows, sent as the
 * generated operators send it, passes the services' own request validation.
 */
export * from './batch.js';
export * from './error-codes.js';
export * from './formats.js';
export * from './names.js';
export * from './options.js';
export * from './python-keywords.js';
