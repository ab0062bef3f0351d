/**
 * The imports of one generated file. Names are handed out on first use; a name already
 * taken by another import or by a task variable gets an alias, so nothing is shadowed.
 */
import { displayWidth, LINE_LENGTH } from './python/expr.js';

export type ImportSection = 'stdlib' | 'third_party' | 'first_party' | 'user';

/**
 * isort's sections as ruff sees them in a DAG folder: everything outside the standard
 * library is third-party there (the operators and the user's modules included).
 */
const SECTION_BLOCKS: readonly (readonly ImportSection[])[] = [['stdlib'], ['third_party', 'first_party', 'user']];

interface ImportedName {
  readonly name: string;
  readonly alias: string;
}

export class ImportSet {
  private readonly modules = new Map<string, { section: ImportSection; names: Map<string, ImportedName>; whole: boolean }>();
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** `from module import name`, returning the local name to use. */
  from(module: string, name: string, section: ImportSection): string {
    const entry = this.entry(module, section);
    const existing = entry.names.get(name);
    if (existing) return existing.alias;
    let alias = name;
    if (this.taken.has(alias)) alias = `${module.replace(/\./g, '_')}_${name}`;
    while (this.taken.has(alias)) alias = `${alias}_`;
    this.taken.add(alias);
    entry.names.set(name, { name, alias });
    return alias;
  }

  /** `import module` (a top-level module), returning its name. */
  module(module: string, section: ImportSection): string {
    this.entry(module, section).whole = true;
    this.taken.add(module);
    return module;
  }

  isTaken(name: string): boolean {
    return this.taken.has(name);
  }

  reserve(name: string): void {
    this.taken.add(name);
  }

  /** The import blocks, one per section, each sorted, as lines. */
  blocks(): string[][] {
    return SECTION_BLOCKS.map((sections) => {
      const lines: string[] = [];
      const modules = [...this.modules.entries()].filter(([, entry]) => sections.includes(entry.section)).sort(([a], [b]) => compare(a.toLowerCase(), b.toLowerCase()) || compare(a, b));
      for (const [module, entry] of modules.filter(([, e]) => e.whole)) lines.push(`import ${module}`);
      for (const [module, entry] of modules) {
        const members = [...entry.names.values()].sort((a, b) => compareMembers(a.name, b.name));
        const plain = members.filter((n) => n.alias === n.name).map((n) => n.name);
        if (plain.length > 0) lines.push(...fromImport(module, plain));
        for (const aliased of members.filter((n) => n.alias !== n.name)) lines.push(...fromImport(module, [`${aliased.name} as ${aliased.alias}`]));
      }
      return lines;
    }).filter((block) => block.length > 0);
  }

  private entry(module: string, section: ImportSection) {
    let entry = this.modules.get(module);
    if (!entry) {
      entry = { section, names: new Map(), whole: false };
      this.modules.set(module, entry);
    }
    return entry;
  }
}

/** `from module import a, b`, wrapped in parentheses when too long. */
function fromImport(module: string, names: readonly string[]): string[] {
  const line = `from ${module} import ${names.join(', ')}`;
  return displayWidth(line) <= LINE_LENGTH ? [line] : [`from ${module} import (`, ...names.map((n) => `    ${n},`), ')'];
}

/** isort's member order (ruff's default order-by-type): CONSTANTS, then Classes, then functions. */
function compareMembers(a: string, b: string): number {
  const rank = (name: string): number => (name.length > 1 && name === name.toUpperCase() ? 0 : /^[A-Z]/.test(name) ? 1 : 2);
  return rank(a) - rank(b) || compare(a.toLowerCase(), b.toLowerCase()) || compare(a, b);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
