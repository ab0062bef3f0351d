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

/** The reply to one request: a check that throws is that request's error, and the next ones still run. */
async function reply(request: ParseRequest): Promise<ParseReply> {
  try {
    return await check(request);
  } catch (err) {
    return { id: request.id, ok: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

// One ruleset at a time, in the order asked (the evaluator's checks wait on DuckDB).
let queue = Promise.resolve();
parentPort!.on('message', (request: ParseRequest) => {
  queue = queue.then(async () => parentPort!.postMessage(await reply(request)));
});
