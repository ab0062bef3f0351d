/** The worker thread rulesets are parsed and checked in (see off-loop-parse.ts). */
import { parentPort } from 'node:worker_threads';
import { parseRuleset } from '@dagwright/dqdl';
import { checkRulesetStatically } from '@dagwright/dqdl/check';
import { MAX_DIAGNOSTICS } from '../domain/problems.js';
import type { ParseReply, ParseRequest } from './parse-protocol.js';

async function check({ id, text, evaluator }: ParseRequest): Promise<ParseReply> {
  const { ruleset, diagnostics } = parseRuleset(text);
  const problems = ruleset === undefined ? diagnostics : evaluator === undefined ? [] : await checkRulesetStatically(ruleset, evaluator);
  if (ruleset === undefined || problems.length > 0) return { id, ok: false, diagnostics: problems.slice(0, MAX_DIAGNOSTICS), total: problems.length };
  return { id, ok: true, rules: ruleset.rules.length, analyzers: ruleset.analyzers.length };
}

// One ruleset at a time, in the order asked (the evaluator's checks wait on DuckDB).
let queue = Promise.resolve();
parentPort!.on('message', (request: ParseRequest) => {
  queue = queue.then(async () => parentPort!.postMessage(await check(request)));
});
