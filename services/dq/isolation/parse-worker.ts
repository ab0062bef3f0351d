/** The worker thread rulesets are parsed in (see off-loop-parse.ts). */
import { parentPort } from 'node:worker_threads';
import { parseRuleset } from '@dagwright/dqdl';
import { MAX_DIAGNOSTICS } from '../domain/problems.js';
import type { ParseReply } from './parse-protocol.js';

parentPort!.on('message', ({ id, text }: { id: number; text: string }) => {
  const { ruleset, diagnostics } = parseRuleset(text);
  const reply: ParseReply = ruleset === undefined
    ? { id, ok: false, diagnostics: diagnostics.slice(0, MAX_DIAGNOSTICS), total: diagnostics.length }
    : { id, ok: true, rules: ruleset.rules.length, analyzers: ruleset.analyzers.length };
  parentPort!.postMessage(reply);
});
