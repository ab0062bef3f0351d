/**
 * YAML syntax errors as diagnostics a person can act on. The yaml library reports each error
 * where its parser noticed it, often at column 1 or on the line before the mistake, and one
 * mistake (an indentation) gives a cascade of follow-on errors: only the first syntax error
 * is reported, at the mistake, with a hint about indentation where that is the likely cause.
 * Duplicate keys are independent of each other and all reported.
 */
import type { YAMLError } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

export function yamlDiagnostics(file: string, text: string, errors: readonly YAMLError[]): Diagnostic[] {
  const duplicates = errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const syntax = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const diagnostics: Diagnostic[] = duplicates.map((error) => ({
    code: 'yaml.duplicate-key',
    message: 'this key appears more than once in the same mapping',
    file,
    pos: [error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)],
  }));
  if (syntax) diagnostics.push(syntaxDiagnostic(file, text, syntax));
  return diagnostics.sort((a, b) => a.pos[0] - b.pos[0]);
}

function syntaxDiagnostic(file: string, text: string, error: YAMLError): Diagnostic {
  const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  const line = lineAt(text, error.pos[0]);
  const at = (start: number, end = start + 1): Diagnostic => ({ code: 'yaml.syntax', message: `${message}${hint(error, text, line)}`, file, pos: [start, Math.max(end, start + 1)] });
  // An indentation error points at the line's first character: show where its text starts.
  if (error.code === 'BAD_INDENT' || error.code === 'TAB_AS_INDENT') return at(line.start + line.indent);
  return at(error.pos[0], error.pos[1]);
}

interface Line {
  readonly start: number;
  readonly text: string;
  /** Leading spaces and tabs. */
  readonly indent: number;
}

function lineAt(text: string, offset: number): Line {
  const start = offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', start);
  const lineText = text.slice(start, end === -1 ? undefined : end);
  return { start, text: lineText, indent: lineText.length - lineText.trimStart().length };
}

/** The nearest line before `line` that holds YAML (not blank, not only a comment). */
function previousContentLine(text: string, line: Line): Line | undefined {
  let end = line.start - 1;
  while (end > 0) {
    const previous = lineAt(text, end);
    const content = previous.text.trim();
    if (content !== '' && !content.startsWith('#')) return previous;
    end = previous.start - 1;
  }
  return undefined;
}

function hint(error: YAMLError, text: string, line: Line): string {
  switch (error.code) {
    case 'BAD_INDENT': {
      const before = previousContentLine(text, line);
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
