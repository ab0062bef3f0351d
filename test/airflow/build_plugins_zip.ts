/**
 * Writes the plugins.zip that `dagwright deploy --plugins` publishes, built by the same
 * function (src/deploy/artifacts.ts), for test_plugins_zip.py.
 *
 *     tsx test/airflow/build_plugins_zip.ts <out.zip>
 */
import { writeFileSync } from 'node:fs';
import { buildPluginsZip } from '../../src/deploy/artifacts.js';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx build_plugins_zip.ts <out.zip>');
writeFileSync(out, await buildPluginsZip());
