import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { CompiledSpec } from '../../compile/compile-spec.js';
import { generateDag } from '../../generator/generate.js';
import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';

export interface GenerateOptions {
  readonly output: string;
  readonly airflow?: string;
  readonly check?: boolean;
}

/** `dagwright generate`: one DAG file per valid spec. Invalid specs never stop the valid ones. */
export async function generateCommand(paths: string[], options: GenerateOptions): Promise<number> {
  const { compiled, invalid, unreadable, crashed } = await loadSpecs(paths, { airflowVersion: options.airflow });
  const { written, stale, conflicts, outputDir, files } = writeDagFiles(compiled, options);
  if (options.check) {
    for (const file of stale) process.stderr.write(`dagwright: ${file}: run dagwright generate again\n`);
    process.stderr.write(`${files - stale.length} up to date, ${stale.length} stale, ${invalid} invalid\n`);
  } else {
    process.stdout.write(`${written.length} DAG${written.length === 1 ? '' : 's'} written to ${outputDir}\n`);
    if (invalid > 0) process.stderr.write(`${invalid} invalid spec${invalid === 1 ? '' : 's'} skipped\n`);
  }
  if (crashed > 0) return EXIT.internal;
  if (invalid > 0 || conflicts > 0 || unreadable.length > 0) return EXIT.invalid;
  if (stale.length > 0) return EXIT.stale;
  return EXIT.ok;
}

export interface DagFilesWritten {
  readonly outputDir: string;
  readonly written: string[];
  readonly stale: string[];
  /** Specs skipped because another spec has the same dag_id. */
  readonly conflicts: number;
  /** DAG files considered (one per distinct dag_id). */
  readonly files: number;
}

/**
 * Writes one DAG file per compiled spec into the output folder (atomically: a temp file, then
 * a rename), or with `check` only compares what is there.
 */
export function writeDagFiles(compiled: readonly CompiledSpec[], options: { readonly output: string; readonly check?: boolean | undefined }): DagFilesWritten {
  const outputDir = resolve(options.output);
  const written: string[] = [];
  const stale: string[] = [];
  const byFile = new Map<string, string>();
  let conflicts = 0;
  for (const spec of compiled) {
    if (!spec.model) continue;
    const target = join(outputDir, `${spec.model.dagId}.py`);
    const previous = byFile.get(target);
    if (previous !== undefined) {
      process.stderr.write(`${spec.source.file}: dag_id "${spec.model.dagId}" is also the name of ${previous}; each pipeline needs its own name\n`);
      conflicts++;
      continue;
    }
    byFile.set(target, spec.source.file);
    const specReference = relative(outputDir, resolve(spec.source.file)).split(sep).join('/');
    const text = generateDag(spec.model, specReference);
    if (options.check) {
      const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
      if (current !== text) stale.push(`${target}${current === undefined ? ' (missing)' : ' (stale)'}`);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.tmp-${process.pid}`;
    writeFileSync(temporary, text, 'utf8');
    renameSync(temporary, target);
    written.push(target);
  }
  return { outputDir, written, stale, conflicts, files: byFile.size };
}
