/**
 * The child process one evaluation runs in (see isolated-evaluate.ts): it gets the
 * request over IPC, parses the ruleset, evaluates it with DuckDB and sends the result
 * back. The parent kills it at its time or memory limit, on cancellation and on shutdown.
 */
import { parseRuleset } from '@dagwright/dqdl';
import { evaluate, type EvaluateResult } from '@dagwright/dqdl/eval';
import type { ChildReply, ChildRequest } from './protocol.js';

async function run(request: ChildRequest): Promise<EvaluateResult> {
  const { ruleset, diagnostics } = parseRuleset(request.text);
  if (ruleset === undefined) return { errors: diagnostics.map((d) => ({ code: 'dq.invalid-ruleset', message: `${d.code}: ${d.message}`, pos: d.pos })) };
  const history = new Map(request.history);
  const { text: _text, history: _history, now, ...rest } = request;
  return evaluate({ ...rest, ruleset, history: (k) => history.get(k) ?? [], now: new Date(now) });
}

process.once('message', (request: ChildRequest) => {
  run(request).then(
    (result) => process.send!({ ok: true, result } satisfies ChildReply, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, message: String((err as Error)?.stack ?? err) } satisfies ChildReply, () => process.exit(0)),
  );
});
// The parent is gone (it crashed or was killed): nothing will read the result.
process.once('disconnect', () => process.exit(1));
