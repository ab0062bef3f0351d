/**
 * The entry point of real-process tests (`kit/testing/process.ts` builds it beside `main.ts`):
 * the same command line, plus the test-only fault injection of `DAGWRIGHT_FAULT_*`
 * (`kit/testing/faults.ts`). The product's entry point reads no fault variable.
 */
import { faultsFromEnv } from './kit/testing/faults.js';
import { serveCli } from './main.js';

void serveCli(process.argv.slice(2), { overrides: faultsFromEnv(process.env) }).then((code) => {
  if (code !== 0) process.exit(code);
});
