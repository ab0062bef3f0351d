"""bench/fidelity's judge: dagwright's results against deequ's, every difference with its note.

    python compare.py --rules rules.dqdl --dagwright dagwright.json --deequ deequ.json \
        --timing dagwright-timing.json --notes notes.json --report report.md

A difference is an outcome that differs (PASS / FAIL / ERROR) or a metric present on both sides
whose values differ by more than 1e-9 relative (NaN equals NaN; +-Infinity equal themselves;
metric values may be numbers or the strings "NaN", "Infinity", "-Infinity"; NULL equals only
NULL). Each must have a note in notes.json, keyed by the rule text as written in rules.dqdl,
starting with one of NOTE_KINDS. A difference without a note, or a note of another form, makes
the exit code 1. Notes whose rule shows no difference are listed as stale (the lead prunes them
when a fix lands), without failing the run.
"""

import argparse
import json
import math
import re
import statistics
import sys

from outcomes import to_outcome
from rulesfile import read_rules

NOTE_KINDS = (
    "dagwright follows the Glue documentation, deequ does not:",
    "bug:",
    "open point:",
)
REL_TOL = 1e-9
# deequ names a `matches` rule's share Column.c.PatternMatch; Glue (and dagwright) name it
# Column.c.ColumnValues.Compliance. Compared under Glue's name.
DEEQU_ALIASES = {".PatternMatch": ".ColumnValues.Compliance"}


def glue_name(key: str) -> str:
    for deequ, glue in DEEQU_ALIASES.items():
        if key.endswith(deequ):
            return key[: -len(deequ)] + glue
    return key


def to_number(v):
    """A metric value as a float (NaN and +-inf included), or None for NULL."""
    if v is None:
        return None
    if isinstance(v, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, float(v))
    return float(v)


def same(a, b) -> bool:
    a, b = to_number(a), to_number(b)
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0) or a == b


def show(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def read_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cell(s) -> str:
    """A markdown table cell."""
    return str(s).replace("|", "\\|").replace("\n", " ")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dagwright", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--deequ", required=True)
    ap.add_argument("--timing", required=True)
    ap.add_argument("--notes", required=True)
    ap.add_argument("--report", required=True)
    args = ap.parse_args()

    rules = read_rules(args.rules)
    dw = read_json(args.dagwright)
    deequ_run = read_json(args.deequ)
    dq = {r["rule"]: r for r in deequ_run["results"]}
    notes = read_json(args.notes)
    dw_timing = read_json(args.timing)

    diffs: list[dict] = []  # rule, what, dagwright, deequ
    agreed, not_compared = 0, []
    one_sided: dict[str, set[str]] = {"dagwright": set(), "deequ": set()}
    for rule in rules:
        a, b = dw[rule], dq[rule]
        b_outcome = to_outcome(b["status"], b.get("reason"))
        if b_outcome is None:
            not_compared.append((rule, b.get("parse_error", "")))
            continue
        how = "" if b["how"] == "dqdl" else f" [{b['how']}]"
        am = a["metrics"]
        bm = {glue_name(k): v for k, v in b["metrics"].items()}
        found = []
        if a["outcome"] != b_outcome:
            reason = (b.get("reason") or "").replace("\n", " ")
            found.append(
                {
                    "what": "outcome",
                    "dagwright": f"{a['outcome']}: {(a.get('message') or '')[:70]}",
                    "deequ": f"{b_outcome}{how}: {reason[:70]}",
                }
            )
        for key in sorted(set(am) | set(bm)):
            if key in am and key in bm:
                if not same(am[key], bm[key]):
                    found.append(
                        {
                            "what": key,
                            "dagwright": show(am[key]),
                            "deequ": show(bm[key]) + how,
                        }
                    )
            elif not (am if key in bm else bm):
                # The other engine reports no metric at all for this rule: a value it lacks.
                found.append(
                    {
                        "what": key,
                        "dagwright": show(am[key]) if key in am else "(none)",
                        "deequ": (show(bm[key]) if key in bm else "(none)") + how,
                    }
                )
            else:
                one_sided["dagwright" if key in am else "deequ"].add(
                    re.sub(r"^(Column|Multicolumn|Dataset)\.[^.]*\.", r"\1.<c>.", key)
                )
        if found:
            for f in found:
                diffs.append({"rule": rule, **f})
        else:
            agreed += 1

    bad_notes, missing = [], []
    for rule in dict.fromkeys(d["rule"] for d in diffs):
        note = notes.get(rule)
        if note is None:
            missing.append(rule)
        elif not isinstance(note, dict) or not str(note.get("note", "")).startswith(NOTE_KINDS):
            bad_notes.append(rule)
    differing = {d["rule"] for d in diffs}
    stale = [r for r in notes if r not in differing]

    out: list[str] = []
    p = out.append
    p(
        f"# bench/fidelity: dagwright dq eval against deequ 2.1.0-spark-3.5 ({deequ_run['timed_rules']} rules timed)\n"
    )
    p(
        f"{len(rules)} rules: {agreed} agree, {len(differing)} differ ({len(diffs)} differences), {len(not_compared)} not run by deequ.\n"
    )
    p("## Differences\n")
    p("| rule | what | dagwright | deequ | note |")
    p("|---|---|---|---|---|")
    previous = None
    for d in diffs:
        first = d["rule"] != previous
        previous = d["rule"]
        note = notes.get(d["rule"], {})
        if not first:
            rule, text = "〃", "〃"
        elif isinstance(note, dict):
            rule, text = f"`{cell(d['rule'])}`", cell(note.get("note", "**NO NOTE**"))
            if note.get("expected_fix"):
                text += f" _(expected to go with: {cell(note['expected_fix'])})_"
        else:
            rule, text = f"`{cell(d['rule'])}`", "**BAD NOTE**"
        p(f"| {rule} | {cell(d['what'])} | {cell(d['dagwright'])} | {cell(d['deequ'])} | {text} |")
    p("\n## Not run by deequ (its DQDL parser, dqdl 1.0.0, rejects them; no analyzer fallback)\n")
    for rule, err in not_compared:
        p(f"- `{rule}`: {err}")
    if not not_compared:
        p("- none")
    p("\n## Metrics one engine reports besides those both report (not compared)\n")
    for engine, keys in one_sided.items():
        p(f"- {engine} only: {', '.join(sorted(keys)) or '-'}")
    fallbacks = [(r, x["analyzer"]) for r, x in dq.items() if x["how"] == "analyzers"]
    if fallbacks:
        p("\n## Computed with deequ's analyzers directly (dqdl 1.0.0 does not parse them)\n")
        for rule, analyzer in fallbacks:
            p(f"- `{rule}`: {analyzer}")
    p(
        "\n## Timing (same Parquet file, same rules: those deequ's DQDL evaluator runs without an exception and dagwright does not reject)\n"
    )
    dw_med = statistics.median(dw_timing["runs_ms"])
    dq_med = statistics.median(deequ_run["runs_ms"])
    p("| engine | rules | runs (ms) | median (ms) | ratio |")
    p("|---|---|---|---|---|")
    p(
        f"| dagwright (DuckDB, in-process evaluate) | {dw_timing['rules']} | {', '.join(map(str, dw_timing['runs_ms']))} | {dw_med:.0f} | 1.0 |"
    )
    p(
        f"| deequ (Spark local[2], warm session) | {deequ_run['timed_rules']} | {', '.join(map(str, deequ_run['runs_ms']))} | {dq_med:.0f} | {dq_med / max(dw_med, 1):.1f} |"
    )
    p(
        f"\ndeequ's Spark session start-up (JVM, Spark, reading and caching the file): {deequ_run['startup_ms']} ms, not counted above."
    )
    if stale:
        p("\n## Stale notes (no difference on this run: prune them)\n")
        for r in stale:
            p(f"- `{r}`")
    if missing or bad_notes:
        p("\n## FAILED\n")
        for r in missing:
            p(f"- no note for `{r}`")
        for r in bad_notes:
            p(f"- note for `{r}` does not start with one of {NOTE_KINDS}")
    text = "\n".join(out) + "\n"
    with open(args.report, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)
    return 1 if missing or bad_notes else 0


if __name__ == "__main__":
    sys.exit(main())
