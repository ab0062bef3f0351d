import { publishedSchema } from '../../spec/schema.js';
import { specReference } from '../../spec/schema-docs.js';
import { EXIT } from '../exit-codes.js';

export function schemaCommand(options: { markdown?: boolean } = {}): number {
  process.stdout.write(options.markdown ? specReference() : JSON.stringify(publishedSchema(), null, 2) + '\n');
  return EXIT.ok;
}
