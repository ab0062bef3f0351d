/**
 * One spec file through the stages that check it: YAML → spec → PipelineModel. It sits above
 * spec/ and model/ (and beside generator/, which turns a model into Python), so each of those
 * depends only on the stages below it: spec → model → generator.
 */
import { createHash } from 'node:crypto';
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import { SpecSource } from '../spec/source.js';
import { taskGraphOf } from '../spec/task-graph-shape.js';
import { validateSchema } from '../spec/validate-schema.js';
import { buildModel } from '../model/build.js';
import { checkRulesetsForEvaluator } from '../model/ruleset-check.js';
import { buildTaskGraph } from '../model/task-graph.js';
import type { PipelineModel } from '../model/types.js';
import type { PipelineSpec } from '../spec/types.js';

export interface CompileOptions {
  /** The --airflow override. */
  readonly airflowVersion?: string | undefined;
}

export interface CompiledSpec {
  readonly source: SpecSource;
  readonly model?: PipelineModel;
  readonly diagnostics: readonly SpecDiagnostic[];
  /** The spec, when the schema accepted it. */
  readonly spec?: PipelineSpec;
}

/**
 * Parses, validates and resolves one spec, collecting every diagnostic. A spec the schema
 * rejects gets no model, but its task graph is still checked where the graph's own fields are
 * valid: unknown tasks and cycles are reported with the schema's errors, not after them.
 */
export function compileSpec(file: string, text: string, options: CompileOptions = {}): CompiledSpec {
  const { source, diagnostics: yamlDiagnostics } = SpecSource.parse(file, text);
  if (yamlDiagnostics.length > 0) return { source, diagnostics: yamlDiagnostics };
  const { spec, diagnostics: schemaDiagnostics } = validateSchema(source);
  if (!spec) {
    // The graph is checked whenever its own fields are valid, so that its errors come in the same round.
    const graph = taskGraphOf(source);
    return { source, diagnostics: graph === undefined ? schemaDiagnostics : [...schemaDiagnostics, ...buildTaskGraph(source, graph).diagnostics] };
  }
  const sourceSha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const { model, diagnostics } = buildModel(source, spec, { airflowVersion: options.airflowVersion, sourceSha256 });
  return model ? { source, model, diagnostics, spec } : { source, diagnostics, spec };
}

/**
 * `compileSpec`, then what the DQDL evaluator refuses in each dq_check's ruleset before it
 * reads any data (SQL, regular expressions, dynamic operands: `checkRulesetsForEvaluator`),
 * so that a spec that validates also runs. Asynchronous: DuckDB's parser answers the SQL
 * (loaded only for a ruleset that has SQL or a regular expression). A problem found here
 * leaves the spec without a model, as any error does.
 */
export async function checkSpec(file: string, text: string, options: CompileOptions = {}): Promise<CompiledSpec> {
  const compiled = compileSpec(file, text, options);
  if (compiled.spec === undefined) return compiled;
  const found = await checkRulesetsForEvaluator(compiled.source, compiled.spec);
  if (found.length === 0) return compiled;
  return { source: compiled.source, diagnostics: [...compiled.diagnostics, ...found], spec: compiled.spec };
}
