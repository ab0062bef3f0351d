/**
 * The Handlebars templates in dag-templates/, compiled once, in strict mode, with no HTML
 * escaping (the output is Python; every value in it is already a Python literal or a name
 * the generator wrote). Templates only lay out what the render model holds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { RenderModel } from './render-model.js';

function templatePath(name: string): string {
  // Works from src/ (tests) and from dist/src/ (the built CLI): both sit two levels below the root.
  const fromSource = new URL(`../../dag-templates/${name}`, import.meta.url);
  const fromDist = new URL(`../../../dag-templates/${name}`, import.meta.url);
  for (const candidate of [fromSource, fromDist]) {
    try {
      return readFileSync(candidate, 'utf8');
    } catch {
      // try the next layout
    }
  }
  throw new Error(`template ${name} not found in ${fileURLToPath(fromSource)} or ${fileURLToPath(fromDist)}`);
}

let compiled: Handlebars.TemplateDelegate<RenderModel> | undefined;

export function renderDag(model: RenderModel): string {
  if (!compiled) {
    const handlebars = Handlebars.create();
    handlebars.registerPartial('statement', templatePath('statement.hbs'));
    compiled = handlebars.compile<RenderModel>(templatePath('dag.py.hbs'), { strict: true, noEscape: true, knownHelpersOnly: true });
  }
  return compiled(model);
}
