import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { whyUnreadable } from './file-problem.js';

/** The spec files named on the command line: files as given, directories searched for *.yaml / *.yml. */
export function findSpecFiles(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      missing.push(`${path}: ${whyUnreadable(error)}`);
      continue;
    }
    if (stat.isDirectory()) files.push(...yamlFilesIn(path));
    else files.push(path);
  }
  return { files: [...new Set(files)], missing };
}

function yamlFilesIn(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') found.push(...yamlFilesIn(path));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) found.push(path);
  }
  return found;
}
