/**
 * Spark's pattern operators on DuckDB. `rlike`/`regexp` use java.util.regex and match
 * anywhere in the text (Matcher.find); DuckDB runs RE2. Java constructs RE2 lacks are
 * refused by name (RE2 refuses the rest when the statement is prepared); the differences
 * that remain are documented in the eval README. `like`/`ilike` escape with `\` unless
 * told otherwise, and refuse an escape before anything but `_`, `%` or itself.
 */

export interface PatternProblem {
  readonly message: string;
  /** Offset in the pattern. */
  readonly index: number;
}

const NOT_IN_RE2: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\\[1-9]/, 'back-references (\\1) are not supported (RE2)'],
  [/^\\k</, 'named back-references (\\k<name>) are not supported (RE2)'],
  [/^\(\?<?[=!]/, 'look-around ((?=…), (?!…), (?<=…), (?<!…)) is not supported (RE2)'],
  [/^\(\?>/, 'atomic groups ((?>…)) are not supported (RE2)'],
  [/^\(\?<[A-Za-z]/, 'named groups (?<name>…) are not supported (RE2): write (?P<name>…)'],
  [/^\\[GZRXhHVv]/, 'this escape is Java-only and not supported (RE2): use \\A, \\z, \\s or an explicit class'],
  [/^\\[ec]/, 'this escape is Java-only and not supported (RE2): write the character as \\x{..}'],
  [/^\\[pP]\{(?:java|Is|In)/, 'Java-only character classes (\\p{javaLowerCase}, \\p{IsAlphabetic}, \\p{InGreek}) are not supported (RE2)'],
  [/^\(\?[a-zA-Z-]*[duxU]/, 'the flags d, u, x and U mean other things or nothing in RE2: use only i, m and s'],
];

/** The first construct of a Java regex that RE2 lacks or reads differently, if any. */
export function javaRegexProblem(pattern: string): PatternProblem | undefined {
  let inClass = false;
  let classStart = 0;
  let quantified = false;
  // Open groups, by offset: checked here, as the pattern is matched inside a group of ours
  // (findAnywhere), where `a)|(b` would balance and compile.
  const groups: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const rest = pattern.slice(i);
    const c = pattern[i] as string;
    if (c === '\\' && rest.startsWith('\\Q')) {
      const end = pattern.indexOf('\\E', i + 2);
      i = end === -1 ? pattern.length : end + 1;
      quantified = false;
      continue;
    }
    if (!inClass) {
      for (const [re, message] of NOT_IN_RE2) if (re.test(rest)) return { message, index: i };
    } else {
      const java = NOT_IN_RE2.slice(5, 8).find(([re]) => re.test(rest));
      if (java !== undefined) return { message: java[1], index: i };
    }
    if (c === '\\') {
      i++;
      quantified = false;
      continue;
    }
    if (inClass) {
      if (rest.startsWith('&&')) return { message: 'character class intersection (&&) is not supported (RE2 reads it as the characters)', index: i };
      if (c === '[' && !rest.startsWith('[:')) return { message: 'a character class inside a class ([a[b]]) is not supported (RE2)', index: i };
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = i;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      quantified = false;
      continue;
    }
    if (c === '(') groups.push(i);
    if (c === ')' && groups.pop() === undefined) return { message: "unmatched closing ')'", index: i };
    if (c === '+' && quantified) return { message: 'possessive quantifiers (a*+, a++, a?+) are not supported (RE2)', index: i };
    quantified = c === '*' || c === '+' || c === '?' || c === '}';
    if (c === '?' && pattern[i - 1] !== undefined && '*+?}'.includes(pattern[i - 1] as string)) quantified = false;
  }
  if (inClass) return { message: "unclosed character class: no ']'", index: classStart };
  const open = groups.pop();
  if (open !== undefined) return { message: "unclosed group: no ')'", index: open };
  return undefined;
}

/** A full-match RE2 pattern that holds where Java's find() holds for `pattern`. */
export function findAnywhere(pattern: string): string {
  return `[\\s\\S]*(?:${pattern})[\\s\\S]*`;
}

/** Spark's check of a LIKE pattern (StringUtils.escapeLikeRegex). */
export function likeProblem(pattern: string, escape: string): PatternProblem | undefined {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== escape) continue;
    const n = pattern[i + 1];
    if (n === undefined) return { message: 'a LIKE pattern may not end with the escape character', index: i };
    if (n !== '_' && n !== '%' && n !== escape) return { message: `the LIKE escape character may not precede '${n}'`, index: i };
    i++;
  }
  return undefined;
}
