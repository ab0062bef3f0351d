/**
 * Data formats. The services speak `csv`, `jsonl` and `parquet`; a spec says `json` for JSON
 * lines (its public contract), and the generator maps it here, once.
 */

/** What the dq service and the loader accept as `format`. */
export const DATA_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** A spec's `format` values, and what each one is on the wire. */
export const SPEC_DATA_FORMATS = { csv: 'csv', json: 'jsonl', parquet: 'parquet' } as const satisfies Record<string, DataFormat>;
export type SpecDataFormat = keyof typeof SPEC_DATA_FORMATS;

export function isSpecDataFormat(value: string): value is SpecDataFormat {
  return Object.hasOwn(SPEC_DATA_FORMATS, value);
}

/** The format a service is sent for a spec's `format`. */
export function serviceFormat(spec: SpecDataFormat): DataFormat {
  return SPEC_DATA_FORMATS[spec];
}

/** Each service format's spec name: SPEC_DATA_FORMATS turned around (it names every one). */
const SPEC_NAMES = Object.fromEntries(Object.entries(SPEC_DATA_FORMATS).map(([spec, wire]) => [wire, spec])) as Record<DataFormat, SpecDataFormat>;

/** A service's format as a spec writes it (`jsonl` is a spec's `json`), for messages about a spec. */
export function specFormatOf(format: DataFormat): SpecDataFormat {
  return SPEC_NAMES[format];
}

const FORMAT_BY_EXTENSION: ReadonlyArray<readonly [RegExp, DataFormat]> = [
  [/\.csv(\.gz)?$/i, 'csv'],
  [/\.(jsonl|ndjson|json)(\.gz)?$/i, 'jsonl'],
  [/\.(parquet|parq|pq)$/i, 'parquet'],
];

/**
 * The format an object's name says, or undefined when it says none: how the loader reads a
 * batch given no format, and what a spec's explicit format of one named object must agree with.
 */
export function formatOfName(key: string): DataFormat | undefined {
  return FORMAT_BY_EXTENSION.find(([re]) => re.test(key))?.[1];
}

/** The format of the passed rows a quarantining dq_check hands on (its result's `batch`). */
export const QUARANTINE_OUTPUT_FORMAT: DataFormat = 'parquet';
