import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';

export async function validateCommand(paths: string[], options: { airflow?: string }): Promise<number> {
  const { compiled, invalid, unreadable, crashed } = await loadSpecs(paths, { airflowVersion: options.airflow });
  const valid = compiled.length - invalid;
  const unread = unreadable.length > 0 ? `, ${unreadable.length} unreadable` : '';
  process.stderr.write(`${valid} valid, ${invalid} invalid spec${invalid === 1 ? '' : 's'}${unread}\n`);
  if (compiled.length === 0 && unreadable.length === 0) {
    process.stderr.write('dagwright: no spec files (*.yaml, *.yml) found\n');
    return EXIT.usage;
  }
  if (crashed > 0) return EXIT.internal;
  return invalid > 0 || unreadable.length > 0 ? EXIT.invalid : EXIT.ok;
}
