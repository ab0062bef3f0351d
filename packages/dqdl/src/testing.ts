/** Test helpers of the package's own tests. */
import { fileURLToPath } from 'node:url';

/** The DQDL conformance data, vendored with its provenance (test/fixtures/README.md). */
export const DQDL_FIXTURES = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
