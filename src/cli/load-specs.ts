import { readFileSync } from 'node:fs';
import { checkSpec, type CompiledSpec, type CompileOptions } from '../compile/compile-spec.js';
import { printSpecDiagnostics } from './report.js';
import { findSpecFiles } from './spec-files.js';

export interface LoadedSpecs {
  readonly compiled: CompiledSpec[];
  readonly invalid: number;
  readonly unreadable: string[];
  /** Specs dagwright itself failed on (a bug): reported, and the others still processed. */
  readonly crashed: number;
}

/** Checks every spec named (`checkSpec`), printing each one's diagnostics; one bad spec never stops the others. */
export async function loadSpecs(paths: readonly string[], options: CompileOptions): Promise<LoadedSpecs> {
  const { files, missing } = findSpecFiles(paths);
  const compiled: CompiledSpec[] = [];
  const unreadable = [...missing];
  let invalid = 0;
  let crashed = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      unreadable.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    let result: CompiledSpec;
    try {
      result = await checkSpec(file, text, options);
    } catch (error) {
      process.stderr.write(`${file}: dagwright internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      crashed++;
      continue;
    }
    printSpecDiagnostics(result.diagnostics, result.source.lines);
    if (!result.model) invalid++;
    compiled.push(result);
  }
  for (const path of unreadable) process.stderr.write(`dagwright: cannot read ${path}\n`);
  return { compiled, invalid, unreadable, crashed };
}
