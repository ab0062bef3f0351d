/**
 * YAML syntax errors as diagnostics a person can act on. The yaml library reports each error
 * where its parser noticed it, often at column 1 or on the line before the mistake, and one
 * mistake (an indentation) gives a cascade of follow-on errors: only the first syntax error
 * is reported, at the mistake, with a hint about indentation where that is the likely cause.
 * Duplicate keys are independent of each other and all reported.
 */
import type { YAMLError } from 'yaml';
import type { SourceText } from '../diagnostics/source-text.js';
import type { SpecDiagnostic } from './diagnostics.js';

export function yamlDiagnostics(file: string, source: SourceText, errors: readonly YAMLError[]): SpecDiagnostic[] {
  const duplicates = errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const syntax = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const diagnostics: SpecDiagnostic[] = duplicates.map((error) => ({
    code: 'yaml.duplicate-key',
    message: 'this key appears more than once in the same mapping',
    file,
    pos: [error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)],
  }));
  if (syntax) diagnostics.push(syntaxDiagnostic(file, source, syntax));
  return diagnostics.sort((a, b) => a.pos[0] - b.pos[0]);
}

function syntaxDiagnostic(file: string, source: SourceText, error: YAMLError): SpecDiagnostic {
  const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  const line = lineAt(source, source.locate(error.pos[0]).line);
  const at = (start: number, end = start + 1): SpecDiagnostic => ({ code: 'yaml.syntax', message: `${message}${hint(error, source, line)}`, file, pos: [start, Math.max(end, start + 1)] });
  // An indentation error points at the line's first character: show where its text starts.
  if (error.code === 'BAD_INDENT' || error.code === 'TAB_AS_INDENT') return at(line.start + line.indent);
  return at(error.pos[0], error.pos[1]);
}

interface Line {
  /** 1-based. */
  readonly number: number;
  readonly start: number;
  readonly text: string;
  /** Leading spaces and tabs. */
  readonly indent: number;
}

function lineAt(source: SourceText, number: number): Line {
  const text = source.lineText(number);
  return { number, start: source.lineStart(number), text, indent: text.length - text.trimStart().length };
}

/** The nearest line before `line` that holds YAML (not blank, not only a comment). */
function previousContentLine(source: SourceText, line: Line): Line | undefined {
  for (let number = line.number - 1; number >= 1; number--) {
    const previous = lineAt(source, number);
    const content = previous.text.trim();
    if (content !== '' && !content.startsWith('#')) return previous;
  }
  return undefined;
}

function hint(error: YAMLError, source: SourceText, line: Line): string {
  switch (error.code) {
    case 'BAD_INDENT': {
      const before = previousContentLine(source, line);
      const where = before ? `, the line before at column ${before.indent + 1}` : '';
      return `. Check the indentation: this line starts at column ${line.indent + 1}${where}; the keys of one mapping start at the same column (indent with spaces)`;
    }
    case 'TAB_AS_INDENT':
      return '. Indent with spaces: YAML does not allow tabs as indentation';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return '. Check the indentation of the lines after this one: a line indented deeper than the key before it is read as part of that key or its value (or a `:` is missing after a key)';
    default:
      return '';
  }
}
