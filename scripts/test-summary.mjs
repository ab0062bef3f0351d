// @ts-check
// The summary of scripts/test-all.sh: one line per part, then the total, which CI parses:
//   Tests: N passed, N failed
// and exit status 1 when anything failed.
//
//   node scripts/test-summary.mjs PARTS_FILE
//
// PARTS_FILE has one part per line, its fields separated by tabs:
//   junit   NAME  EXIT_STATUS  REPORT  SECONDS   a run that writes a JUnit XML report (vitest, pytest)
//   broken  NAME  NOTE                           a step that failed outright: counted as 1 failed
//   empty   NAME  NOTE                           nothing to run: 0 passed, 0 failed
// A JUnit part whose report is missing or unreadable is broken; one that exited non-zero with
// no failed test (a crash after the tests, a file that failed to load) counts 1 failed.
// Plain JavaScript with no dependencies: it runs even when `npm ci` failed.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {{ tests: number; failed: number; skipped: number }} JunitCounts
 * @typedef {{ name: string; passed: number; failed: number; note: string; broken: boolean }} PartResult
 */

/**
 * The counts of a JUnit XML report: the sums of its <testsuite> elements' tests, failures +
 * errors and skipped (tests includes the other three, as vitest and pytest write them), or
 * those of a bare <testsuites> root (vitest's, when no test file ran). undefined when `xml` is
 * not a JUnit report.
 * @param {string} xml
 * @returns {JunitCounts | undefined}
 */
export function junitCounts(xml) {
  const suites = [...xml.matchAll(/<testsuite\s([^>]*)>/g)].map((m) => attributes(m[1] ?? ''));
  if (suites.length === 0) {
    const root = /<testsuites(?:\s([^>]*))?\/?>/.exec(xml);
    if (!root) return undefined;
    suites.push(attributes(root[1] ?? ''));
  }
  const sum = (/** @type {string} */ key) => suites.reduce((total, suite) => total + Number(suite[key] ?? 0), 0);
  const counts = { tests: sum('tests'), failed: sum('failures') + sum('errors'), skipped: sum('skipped') };
  return Object.values(counts).every(Number.isInteger) ? counts : undefined;
}

/**
 * An element's attributes (the text between its name and '>'). JUnit writers escape '<', '>'
 * and quotes inside values, so no value contains the delimiters.
 * @param {string} text
 * @returns {Record<string, string>}
 */
function attributes(text) {
  return Object.fromEntries([...text.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/**
 * One part of PARTS_FILE, counted. `readReport` returns a report's text, or undefined when
 * there is none.
 * @param {string} line
 * @param {(path: string) => string | undefined} readReport
 * @returns {PartResult}
 */
export function countPart(line, readReport) {
  const [kind = '', name = '', ...fields] = line.split('\t');
  if (kind === 'empty') return { name, passed: 0, failed: 0, note: fields[0] ?? '', broken: false };
  if (kind === 'broken') return { name, passed: 0, failed: 1, note: fields[0] ?? '', broken: true };
  if (kind !== 'junit') return { name: name || line, passed: 0, failed: 1, note: `unknown part kind '${kind}'`, broken: true };
  const [status = '', report = '', seconds = '0'] = fields;
  const took = `(${seconds}s)`;
  const text = report ? readReport(report) : undefined;
  const counts = text === undefined || text.trim() === '' ? undefined : junitCounts(text);
  if (!counts) return { name, passed: 0, failed: 1, note: `exit ${status}, no report ${took}`, broken: true };
  const failed = status !== '0' && counts.failed === 0 ? 1 : counts.failed;
  const notes = [`exit ${status}`];
  if (counts.skipped > 0) notes.push(`${counts.skipped} skipped`);
  if (counts.tests === 0) notes.push('no tests');
  return { name, passed: counts.tests - counts.failed - counts.skipped, failed, note: `${notes.join(', ')} ${took}`, broken: false };
}

/**
 * The summary's lines: one per part, the number of broken steps if any, and the total last.
 * @param {readonly PartResult[]} parts
 * @returns {{ lines: string[]; ok: boolean }}
 */
export function summarise(parts) {
  const lines = parts.map((p) => `${p.name.padEnd(34)} ${String(p.passed).padStart(4)} passed, ${String(p.failed).padStart(4)} failed${p.note ? `  (${p.note})` : ''}`);
  const broken = parts.filter((p) => p.broken).length;
  if (broken > 0) lines.push(`${broken} step(s) failed outright (each counted as 1 failed above)`);
  const passed = parts.reduce((total, p) => total + p.passed, 0);
  const failed = parts.reduce((total, p) => total + p.failed, 0);
  lines.push(`Tests: ${passed} passed, ${failed} failed`);
  return { lines, ok: failed === 0 && broken === 0 };
}

/** @param {string} path */
function readIfPresent(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const partsFile = process.argv[2];
  if (!partsFile) {
    console.error('usage: node scripts/test-summary.mjs PARTS_FILE');
    process.exit(2);
  }
  const rows = (readIfPresent(partsFile) ?? '').split('\n').filter((row) => row.trim() !== '');
  const { lines, ok } = summarise(rows.map((row) => countPart(row, readIfPresent)));
  console.log(lines.join('\n'));
  process.exitCode = ok ? 0 : 1;
}
