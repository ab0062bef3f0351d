import type { Diagnostic } from '../spec/diagnostics.js';
import { formatDiagnostic, LineIndex } from '../spec/format-diagnostic.js';

/** Prints diagnostics to stderr as `file:line:col: code: message` with a caret excerpt. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], text: string): void {
  if (diagnostics.length === 0) return;
  const index = new LineIndex(text);
  const sorted = [...diagnostics].sort((a, b) => a.pos[0] - b.pos[0]);
  for (const diagnostic of sorted) process.stderr.write(formatDiagnostic(diagnostic, index) + '\n');
}
