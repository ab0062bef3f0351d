import { describe, expect, it } from 'vitest';
import { classifyDuckdb } from './duckdb/duckdb-errors.js';
import { classifyPostgres } from './postgres/postgres-errors.js';
import { classifyRedshift } from './redshift/redshift-errors.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

/** Every failure maps to a protocol code and its retryability (docs/service-protocol.md, "Loader"). */
describe('error classification', () => {
  it.each<[string, unknown, string | undefined, boolean | undefined]>([
    ['refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'Warehouse.Unavailable', true],
    ['reset', pgError('ECONNRESET'), 'Warehouse.Unavailable', true],
    ['dropped mid-query', new Error('Connection terminated unexpectedly'), 'Warehouse.Unavailable', true],
    ['connect timeout', new Error('timeout exceeded when trying to connect'), 'Warehouse.Unavailable', true],
    ['admin shutdown', pgError('57P01', 'terminating connection due to administrator command'), 'Warehouse.Unavailable', true],
    ['starting up', pgError('57P03', 'the database system is starting up'), 'Warehouse.Unavailable', true],
    ['too many connections', pgError('53300'), 'Warehouse.Unavailable', true],
    ['serialization failure', pgError('40001'), 'Warehouse.SerializationConflict', true],
    ['deadlock', pgError('40P01'), 'Warehouse.SerializationConflict', true],
    ['undefined table', pgError('42P01', 'relation "x" does not exist'), 'TableNotFound', false],
    ['undefined column', pgError('42703'), 'SchemaMismatch', false],
    ['privilege', pgError('42501', 'permission denied for table x'), 'PermissionDenied', false],
    ['bad password', pgError('28P01'), 'PermissionDenied', false],
    ['bad value', pgError('22P02', 'invalid input syntax for type integer: "x"'), 'DataError', false],
    ['bad COPY data', pgError('22P04', 'extra data after last expected column'), 'DataError', false],
    ['not null', pgError('23502'), 'DataError', false],
    ['more than 1,600 columns', pgError('54011', 'tables can have at most 1600 columns'), 'Load.TooManyColumns', false],
    ['a bug of ours (syntax)', pgError('42601'), undefined, undefined],
  ])('PostgreSQL: %s', (_name, err, code, retryable) => {
    const p = classifyPostgres(err);
    expect(p?.code).toBe(code);
    expect(p?.retryable).toBe(retryable);
  });

  it.each<[string, string, string | undefined]>([
    ['Catalog Error: Table with name nope does not exist!', 'missing table', 'TableNotFound'],
    ['Conversion Error: Could not convert string "x" to INT32', 'bad value', 'DataError'],
    ['Invalid Input Error: CSV Error on Line: 3', 'bad CSV', 'DataError'],
    ['Constraint Error: Duplicate key "id: 1" violates primary key constraint', 'duplicate', 'DataError'],
    ['TransactionContext Error: Catalog write-write conflict on alter with "events"', 'conflict', 'Warehouse.SerializationConflict'],
    ['IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/node (PID 1)', 'file locked', 'Warehouse.Unavailable'],
    ['Parser Error: syntax error at or near "x"', 'a bug of ours', undefined],
  ])('DuckDB: %s (%s)', (message, _name, code) => {
    expect(classifyDuckdb(new Error(message))?.code).toBe(code);
  });

  it.each<[string, unknown, string, number]>([
    ['throttled', named('ThrottlingException', 'Rate exceeded'), 'Warehouse.Throttled', 429],
    ['too many statements', named('ActiveStatementsExceededException'), 'Warehouse.Throttled', 429],
    ['cannot connect (paused)', named('DatabaseConnectionException', 'Connection to the database failed'), 'Redshift.UnavailableException', 503],
    ['validation: cluster resizing', named('ValidationException', 'Cluster analytics is resizing'), 'Redshift.UnavailableException', 503],
    ['1023', new Error('ERROR: 1023 DETAIL: Serializable isolation violation on table'), 'Warehouse.SerializationConflict', 503],
    ['COPY failed', new Error("Load into table 'x' failed. Check 'stl_load_errors' system table for details."), 'DataError', 422],
    ['IAM', named('AccessDeniedException'), 'PermissionDenied', 403],
    ['wire protocol refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5439'), 'Warehouse.Unavailable', 503],
  ])('Redshift: %s', (_name, err, code, status) => {
    expect(classifyRedshift(err)).toMatchObject({ code, status });
  });
});
