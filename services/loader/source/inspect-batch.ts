import { createGunzip, constants as zlib } from 'node:zlib';
import { Problem, type FieldError } from '../../kit/errors/problem.js';
import { compressionOf } from '../domain/batch.js';
import { ColumnSample, familiesOfJson, familiesOfText } from '../domain/families.js';
import type { BatchColumn, BatchObject, BatchSchema, LoadInput } from '../domain/types.js';
import { parseCsvSample } from './csv-sample.js';
import type { ObjectSource } from '../objects/object-source.js';
import type { ParquetTools } from './parquet.js';

/** Bytes read from the start of each CSV or JSON-lines object. */
export const SAMPLE_BYTES = 64 * 1024;
const CONCURRENCY = 8;

export interface InspectedBatch {
  readonly schema: BatchSchema;
  readonly bytes: number;
  readonly objects: readonly BatchObject[];
}

/**
 * Learns a batch's columns before anything is loaded: CSV headers and JSON
 * keys from the first bytes of every object (types from a sample of values),
 * Parquet schemas from every footer. Objects that disagree, or cannot be
 * read as their format, fail with `422 DataError` or `SchemaMismatch`.
 */
export async function inspectBatch(store: ObjectSource, parquet: ParquetTools, input: LoadInput, signal: AbortSignal): Promise<InspectedBatch> {
  const sizes = await mapLimit(input.objects, CONCURRENCY, (o) => store.size(o, signal));
  const objects = input.objects.map((o, i) => ({ ...o, size: sizes[i] as number }));
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const perObject = await mapLimit(objects, CONCURRENCY, (o, i) => inspectObject(store, parquet, input, o, i, signal));
  const first = perObject[0] as BatchColumn[];
  const errors: FieldError[] = [];
  perObject.forEach((cols, i) => {
    const names = cols.map((c) => c.name).join(',');
    if (names !== first.map((c) => c.name).join(',')) {
      errors.push({ path: `/batch/objects/${i}`, message: `s3://${objects[i]?.bucket}/${objects[i]?.key} has columns (${names}), the first object has (${first.map((c) => c.name).join(',')})` });
    }
  });
  if (errors.length > 0) {
    throw new Problem('SchemaMismatch', { detail: 'the objects of the batch do not share one set of columns', errors });
  }
  const columns = first.map((col, c) => merge(perObject.map((cols) => cols[c] as BatchColumn), col));
  return { schema: { columns }, bytes, objects };
}

async function inspectObject(store: ObjectSource, parquet: ParquetTools, input: LoadInput, object: BatchObject & { size: number }, index: number, signal: AbortSignal): Promise<BatchColumn[]> {
  if (input.format === 'parquet') return parquet.schema(store, object, signal);
  const where = `s3://${object.bucket}/${object.key}`;
  const { text, complete } = await sample(store, object, compressionOf(object.key, input.options.compression) === 'gzip', signal);
  const dataError = (message: string) =>
    new Problem('DataError', { detail: `${where}: ${message}`, errors: [{ path: `/batch/objects/${index}`, message }] });
  if (text.includes('\u0000')) throw dataError(`is not ${input.format === 'csv' ? 'CSV' : 'JSON lines'} text (it contains NUL bytes)`);
  return input.format === 'csv' ? csvColumns(text, complete, input, dataError) : jsonColumns(text, complete, dataError);
}

function csvColumns(text: string, complete: boolean, input: LoadInput, dataError: (m: string) => Problem): BatchColumn[] {
  const { csv, columns } = input.options;
  const { records, quoted } = parseCsvSample(text, csv.delimiter, complete);
  let names: string[];
  let start = 0;
  if (csv.header) {
    const header = records[0];
    if (!header || (header.length === 1 && header[0] === '')) throw dataError('has no header line');
    names = header.map((h) => h.trim());
    start = 1;
  } else {
    names = [...(columns ?? [])];
  }
  const samples = names.map((n) => new ColumnSample(n));
  for (let r = start; r < records.length; r++) {
    const record = records[r] as string[];
    if (record.length === 1 && record[0] === '' && r === records.length - 1) continue;
    if (record.length !== names.length) throw dataError(`line ${r + 1} has ${record.length} fields, the header has ${names.length}`);
    record.forEach((value, c) => {
      const isNull = value === csv.null && !quoted[r]?.[c];
      samples[c]?.add(isNull ? null : familiesOfText(value));
    });
  }
  return samples.map((s) => s.column('csv values'));
}

function jsonColumns(text: string, complete: boolean, dataError: (m: string) => Problem): BatchColumn[] {
  const lines = text.split('\n');
  if (!complete) lines.pop();
  const samples = new Map<string, ColumnSample>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      throw dataError(`line ${i + 1} is not valid JSON`);
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw dataError(`line ${i + 1} is not a JSON object`);
    for (const [k, v] of Object.entries(doc)) {
      let s = samples.get(k);
      if (!s) samples.set(k, (s = new ColumnSample(k)));
      s.add(v === null ? null : familiesOfJson(v));
    }
  });
  if (samples.size === 0 && lines.some((l) => l.trim() !== '')) throw dataError('has no JSON object with keys');
  return [...samples.values()].map((s) => s.column('json values'));
}

/** What every object's sample allows, together. */
function merge(columns: readonly BatchColumn[], first: BatchColumn): BatchColumn {
  const fits = new Set([...first.fits].filter((f) => columns.every((c) => c.fits.has(f))));
  return { ...first, fits };
}

async function sample(store: ObjectSource, object: BatchObject & { size: number }, gzip: boolean, signal: AbortSignal): Promise<{ text: string; complete: boolean }> {
  if (object.size === 0) return { text: '', complete: true };
  const end = Math.min(object.size, SAMPLE_BYTES) - 1;
  const raw = await collect(await store.open(object, { range: [0, end], signal }));
  if (!gzip) return { text: raw.toString('utf8'), complete: end === object.size - 1 };
  const limit = SAMPLE_BYTES * 4;
  const inflated = await collect(createGunzip({ finishFlush: zlib.Z_SYNC_FLUSH }).end(raw), limit).catch(() => {
    throw new Problem('DataError', { detail: `s3://${object.bucket}/${object.key} is not gzip data` });
  });
  return { text: inflated.toString('utf8'), complete: end === object.size - 1 && inflated.length < limit };
}

async function collect(stream: NodeJS.ReadableStream, limit = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    chunks.push(b);
    n += b.length;
    if (n >= limit) break;
  }
  return Buffer.concat(chunks);
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
  return out;
}
