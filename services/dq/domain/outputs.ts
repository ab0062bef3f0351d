/**
 * Where an evaluation's rows go when quarantining: passed rows to
 * `<root>/passed/pipeline=…/dt=…/run=…/`, failed rows (with Glue's row-level columns)
 * to `<root>/quarantine/pipeline=…/dt=…/run=…/`, both through a temporary prefix of the run.
 */
import type { Location } from '../objects/locations.js';
import { child, formatLocation, partitionValue } from '../objects/locations.js';
import type { ObjectStorage, StoredObject } from '../objects/object-storage.js';
import { publish, type PublishFaults } from '../objects/publish.js';
import type { OutputBatch } from './types.js';

export interface OutputPlaces {
  readonly passed: Location;
  readonly quarantine: Location;
  readonly temp: Location;
}

export function outputPlaces(root: Location, pipeline: string, dt: string, runId: string): OutputPlaces {
  const part = [`pipeline=${partitionValue(pipeline)}`, `dt=${partitionValue(dt)}`, `run=${partitionValue(runId)}`];
  return {
    passed: child(root, 'passed', ...part),
    quarantine: child(root, 'quarantine', ...part),
    temp: child(root, '_tmp', part[0]!, part[2]!),
  };
}

export function toBatch(at: Location, objects: readonly StoredObject[]): OutputBatch {
  return {
    source: `${formatLocation(at)}/`,
    objects: objects.map((o) => ({ ...(at.scheme === 's3' ? { bucket: o.bucket } : {}), key: o.key, size: o.size, ...(o.etag ? { etag: o.etag } : {}) })),
    total_bytes: objects.reduce((n, o) => n + o.size, 0),
    format: 'parquet',
  };
}

export interface WriteOutputs {
  readonly storage: ObjectStorage;
  readonly places: OutputPlaces;
  readonly attempt: string;
  /** Absent for a dataset without columns (nothing to write). */
  readonly passedFile?: string;
  /** Absent when no row failed: the quarantine partition then holds only its manifest. */
  readonly failedFile?: string;
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly faults?: PublishFaults;
  readonly signal?: AbortSignal;
}

/** Publishes the quarantine first, then the passed rows: a crash in between leaves no passed batch to load. */
export async function writeOutputs(w: WriteOutputs): Promise<{ passed: OutputBatch; quarantine: OutputBatch }> {
  const common = { storage: w.storage, temp: w.places.temp, attempt: w.attempt };
  const failed = await publish(
    { ...common, final: w.places.quarantine, manifest: { ...w.manifest, kind: 'quarantine' } },
    w.failedFile === undefined ? [] : [{ file: w.failedFile, name: 'part-00000.parquet' }],
    w.faults ?? {},
    w.signal,
  );
  const passed = await publish({ ...common, final: w.places.passed, manifest: { ...w.manifest, kind: 'passed' } }, w.passedFile === undefined ? [] : [{ file: w.passedFile, name: 'part-00000.parquet' }], w.faults ?? {}, w.signal);
  return { passed: toBatch(w.places.passed, passed), quarantine: toBatch(w.places.quarantine, failed) };
}
