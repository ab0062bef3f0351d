/**
 * Assets as Python: `Dataset` and `DatasetAll`/`DatasetAny` on Airflow 2.x, `Asset` and
 * `AssetAll`/`AssetAny` on 3.x. Every URI is written as a Python string literal.
 */
import type { AssetCondition, PipelineModel } from '../model/types.js';
import type { ImportSet } from './imports.js';
import { call, list, str, type PyExpr } from './python/expr.js';

/** An all-of plain assets is the list Airflow reads as all of them; any other condition is written out. */
export function assetsArgument(condition: AssetCondition, model: PipelineModel, imports: ImportSet): PyExpr {
  if (condition.kind === 'all' && condition.of.every((member) => member.kind === 'asset')) {
    return list(condition.of.map((member) => assetConditionExpr(member, model, imports)));
  }
  return assetConditionExpr(condition, model, imports);
}

function assetConditionExpr(condition: AssetCondition, model: PipelineModel, imports: ImportSet): PyExpr {
  const names = model.target.imports;
  if (condition.kind === 'asset') return assetExpr(condition.uri, model, imports);
  const name = condition.kind === 'all' ? names.assetAll : names.assetAny;
  return call(imports.from(names.asset.module, name, 'third_party'), [], condition.of.map((member) => assetConditionExpr(member, model, imports)));
}

/** `Dataset("uri")` on 2.x, `Asset("uri")` on 3.x (its name and URI both the text written). */
export function assetExpr(uri: string, model: PipelineModel, imports: ImportSet): PyExpr {
  return call(imports.from(model.target.imports.asset.module, model.target.imports.asset.name, 'third_party'), [], [str(uri)]);
}
