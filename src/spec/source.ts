import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { SourceText } from '../diagnostics/source-text.js';
import { pointer, type SpecDiagnostic } from './diagnostics.js';
import { yamlDiagnostics } from './yaml-errors.js';

export type SpecPath = readonly (string | number)[];

/**
 * A spec file parsed with positions: its plain data, and a way back from any path in the
 * data to the characters it came from.
 */
export class SpecSource {
  private constructor(
    readonly file: string,
    /** The file's text, and its lines for placing diagnostics. */
    readonly lines: SourceText,
    readonly data: unknown,
    private readonly document: Document.Parsed,
  ) {}

  static parse(file: string, text: string): { source: SpecSource; diagnostics: SpecDiagnostic[] } {
    const lines = new SourceText(text);
    const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    const diagnostics = yamlDiagnostics(file, lines, document.errors);
    const data: unknown = diagnostics.length > 0 ? undefined : document.toJS({ maxAliasCount: 100 });
    return { source: new SpecSource(file, lines, data, document), diagnostics };
  }

  get text(): string {
    return this.lines.text;
  }

  /** The range of the value at `path`, or of its nearest ancestor that exists. */
  rangeOf(path: SpecPath): [number, number] {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return [node.range[0], Math.max(node.range[1], node.range[0] + 1)];
    }
    return [0, Math.min(1, this.text.length)];
  }

  /** The range of the key that holds `path` (for unknown or misplaced keys). */
  keyRangeOf(path: SpecPath): [number, number] {
    const parent = this.document.getIn(path.slice(0, -1), true);
    const key = path[path.length - 1];
    if (isMap(parent)) {
      for (const item of parent.items) {
        if (isPair(item) && isScalar(item.key) && item.key.value === key && item.key.range) {
          return [item.key.range[0], item.key.range[1]];
        }
      }
    }
    return this.rangeOf(path);
  }

  /** The source range of a string scalar's content, with its style, for mapping offsets inside it. */
  scalarAt(path: SpecPath): { range: [number, number]; style: string } | undefined {
    const node = this.document.getIn(path, true);
    if (!isScalar(node) || !node.range) return undefined;
    return { range: [node.range[0], node.range[1]], style: String(node.type) };
  }

  diagnostic(code: SpecDiagnostic['code'], message: string, path: SpecPath, at: 'key' | 'value' = 'value'): SpecDiagnostic {
    return {
      code,
      message,
      file: this.file,
      pos: at === 'key' ? this.keyRangeOf(path) : this.rangeOf(path),
      path: pointer(path),
    };
  }
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value);
}
