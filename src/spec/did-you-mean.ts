/** The did-you-mean of a spec's messages; what counts as a likely typo is @dagwright/dqdl's `closest`, the one rule for specs and DQDL. */
import { closest } from '@dagwright/dqdl';

export { closest };

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const suggestion = closest(word, candidates);
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
}
