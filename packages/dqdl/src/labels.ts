/**
 * Labels: `DefaultLabels = [...]` apply to every rule; a rule's own `labels=[...]`
 * override defaults with the same key. Limits (Glue): at most 10 labels on a rule after
 * merging, keys non-empty and at most 128 characters, values at most 256, no key twice.
 */
import type { Label, Rule, Span } from './ast.js';
import { diag, type DqdlDiagnostic } from './diagnostics.js';

export const MAX_LABELS = 10;
export const MAX_KEY_LENGTH = 128;
export const MAX_VALUE_LENGTH = 256;

/** The labels that apply to a rule: defaults, overridden by the rule's own. */
export function effectiveLabels(rule: Rule, defaults: readonly Label[]): ReadonlyMap<string, string> {
  const merged = new Map<string, string>();
  for (const l of defaults) merged.set(l.key.value, l.value.value);
  for (const l of rule.labels) merged.set(l.key.value, l.value.value);
  return merged;
}

function listSpan(labels: readonly Label[]): Span {
  return [(labels[0] as Label).pos[0], (labels[labels.length - 1] as Label).pos[1]];
}

/** Checks one label list on its own: keys, values, duplicates, and the count. */
export function checkLabelList(labels: readonly Label[]): DqdlDiagnostic[] {
  const out: DqdlDiagnostic[] = [];
  const seen = new Set<string>();
  for (const l of labels) {
    const key = l.key.value;
    if (key === '') out.push(diag('dqdl.label-key', 'a label key cannot be empty', l.key.pos));
    else if (key.length > MAX_KEY_LENGTH) out.push(diag('dqdl.label-key', `a label key has at most ${MAX_KEY_LENGTH} characters`, l.key.pos));
    if (l.value.value.length > MAX_VALUE_LENGTH) {
      out.push(diag('dqdl.label-value', `a label value has at most ${MAX_VALUE_LENGTH} characters`, l.value.pos));
    }
    if (seen.has(key)) out.push(diag('dqdl.label-duplicate-key', `label "${key}" is given twice`, l.key.pos));
    seen.add(key);
  }
  if (labels.length > MAX_LABELS) {
    out.push(diag('dqdl.label-limit', `at most ${MAX_LABELS} labels are allowed, found ${labels.length}`, listSpan(labels)));
  }
  return out;
}

/** Checks the labels of a rule and of every rule nested in it, merged with the defaults. */
export function checkRuleLabels(rule: Rule, defaults: readonly Label[]): DqdlDiagnostic[] {
  const out: DqdlDiagnostic[] = [];
  const walk = (r: Rule): void => {
    if (r.labels.length > 0) {
      const own = checkLabelList(r.labels);
      out.push(...own);
      const merged = effectiveLabels(r, defaults).size;
      if (merged > MAX_LABELS && !own.some((d) => d.code === 'dqdl.label-limit')) {
        out.push(diag('dqdl.label-limit', `with DefaultLabels this rule has ${merged} labels; at most ${MAX_LABELS} are allowed`, listSpan(r.labels)));
      }
    }
    if (r.kind === 'composite') r.rules.forEach(walk);
  };
  walk(rule);
  return out;
}
