/**
 * The did-you-mean of every "unknown ..." message, DQDL's and dagwright's alike: dagwright's spec
 * checks import it from here (the package may import nothing of dagwright, and dagwright
 * already depends on the package), so there is one rule for what counts as a likely typo.
 */

/** The closest candidate to `word` (case ignored), when it is close enough to be a likely typo: at most one edit per three letters. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Edits (insert, delete, substitute, swap two neighbours) from a to b: `gaet` is one swap from `gate`. */
function editDistance(a: string, b: string): number {
  // Optimal string alignment: Levenshtein plus adjacent transpositions.
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
