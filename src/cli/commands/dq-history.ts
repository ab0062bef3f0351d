/**
 * The `dq eval --history` file: metric history key → values, most recent first, as JSON, with
 * non-finite values as "NaN", "Infinity" and "-Infinity". A file that is not JSON, or not of
 * that shape, is a diagnostic at its place (jsonc-parser gives the offsets), never a crash.
 */
import { decodeMetric, encodeMetric } from '@dagwright/dqdl';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export type MetricHistory = Record<string, number[]>;

export type HistoryDiagnostic = Diagnostic<'history.not-json' | 'history.bad-shape'>;

const SHAPE = 'a metric history is an object of metric key → list of numbers ("NaN", "Infinity" and "-Infinity" for the others)';

export function parseHistory(text: string): { history: MetricHistory } | { problem: HistoryDiagnostic } {
  // A file made empty to start a history (`touch history.json`) holds no metrics yet.
  if (text.trim() === '') return { history: Object.create(null) as MetricHistory };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problem: notJson(text, error as Error) };
  }
  const tree = parseTree(text);
  const at = (path: (string | number)[], message: string): { problem: HistoryDiagnostic } => {
    const node: Node | undefined = tree === undefined ? undefined : findNodeAtLocation(tree, path);
    const start = node?.offset ?? 0;
    return { problem: { code: 'history.bad-shape', message, pos: [start, start + (node?.length ?? 0)] } };
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return at([], `not a metric history: ${SHAPE}`);
  // No prototype: a metric key is only ever a key (JSON may say "__proto__").
  const history = Object.create(null) as MetricHistory;
  for (const [key, values] of Object.entries(raw)) {
    if (!Array.isArray(values)) return at([key], `"${key}" is not a list: ${SHAPE}`);
    const numbers: number[] = [];
    for (const [index, value] of values.entries()) {
      const number = decodeMetric(value);
      if (typeof number !== 'number') return at([key, index], `"${key}"[${index}] is ${JSON.stringify(value)}, not a number: ${SHAPE}`);
      numbers.push(number);
    }
    history[key] = numbers;
  }
  return { history };
}

export function printHistory(history: Readonly<MetricHistory>): string {
  return `${JSON.stringify(Object.fromEntries(Object.entries(history).map(([k, vs]) => [k, vs.map((v) => encodeMetric(v))])), null, 2)}\n`;
}

/** JSON.parse decides what is JSON; jsonc-parser (strict: no comments, no trailing commas) says where it stops being. */
function notJson(text: string, error: Error): HistoryDiagnostic {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const why = first === undefined ? error.message : describe(first);
  const start = first?.offset ?? 0;
  return { code: 'history.not-json', message: `not valid JSON: ${why}`, pos: [start, start + (first?.length ?? 0)] };
}

function describe(error: ParseError): string {
  // InvalidSymbol → "invalid symbol", CloseBracketExpected → "close bracket expected".
  return printParseErrorCode(error.error).replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}
