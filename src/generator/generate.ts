/** The generator's entry: a PipelineModel → render model → the Python DAG file. */
import type { PipelineModel } from '../model/types.js';
import { toRenderModel } from './render-model.js';
import { renderDag } from './templates.js';

/** The Python DAG file for a model. */
export function generateDag(model: PipelineModel, specReference: string): string {
  return renderDag(toRenderModel(model, { specReference }));
}
