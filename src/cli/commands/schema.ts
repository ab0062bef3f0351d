import { publishedSchema } from '../../spec/schema.js';
import { EXIT } from '../exit-codes.js';

export function schemaCommand(): number {
  process.stdout.write(JSON.stringify(publishedSchema(), null, 2) + '\n');
  return EXIT.ok;
}
