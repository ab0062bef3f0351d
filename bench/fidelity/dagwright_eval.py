"""dagwright's side of bench/fidelity: the rules through `dagwright dq eval --json`, as a user runs it.

    python dagwright_eval.py DATA.parquet RULES.dqdl OUT.json [CLI...]

Writes {rule text: {outcome, metrics, message}}. When the CLI rejects the ruleset (a binding
error with a position: an unknown column, a where clause that does not compile), the rules on
the reported lines are recorded as ERROR with the message "ruleset rejected: ..." and the rest is
run again without them, so that one rule never hides the others. Metric values are kept as the
CLI wrote them (numbers, or the strings "NaN", "Infinity", "-Infinity"; null).
"""

import json
import os
import re
import subprocess
import sys
import tempfile

from rulesfile import read_rules, write_rules

REJECTED = "ruleset rejected: "


def run(cli: list[str], data: str, rules: list[str]) -> dict[str, dict]:
    results: dict[str, dict] = {}
    pending = list(rules)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rules.dqdl")
        while pending:
            write_rules(path, pending)
            p = subprocess.run(
                [*cli, "dq", "eval", "--data", data, "--rules", path, "--json"],
                check=False,
                capture_output=True,
                text=True,
            )
            if p.stdout.strip():
                glue = json.loads(p.stdout)
                for rule, r in zip(pending, glue["RuleResults"], strict=True):
                    results[rule] = {
                        "outcome": r["Result"],
                        "metrics": r.get("EvaluatedMetrics", {}),
                        "message": r.get("EvaluationMessage"),
                    }
                return results
            rejected: dict[str, str] = {}
            for line in p.stderr.splitlines():
                m = re.match(re.escape(path) + r":(\d+):\d+: (.*)", line)
                if m and 2 <= int(m.group(1)) < 2 + len(pending):
                    rejected.setdefault(pending[int(m.group(1)) - 2], m.group(2))
            if not rejected:
                raise SystemExit(
                    f"dagwright dq eval failed (exit {p.returncode}) and named no rule:\n{p.stderr}"
                )
            for rule, message in rejected.items():
                results[rule] = {
                    "outcome": "ERROR",
                    "metrics": {},
                    "message": REJECTED + message,
                }
            pending = [r for r in pending if r not in rejected]
    return results


def main() -> None:
    data, rules_path, out = sys.argv[1:4]
    cli = sys.argv[4:] or ["npx", "--no-install", "tsx", "src/cli/main.ts"]
    results = run(cli, data, read_rules(rules_path))
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
