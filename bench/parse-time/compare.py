"""Compare two DagBag fingerprints (parse_once.py --fingerprint) DAG by DAG and task by task.

    python compare.py REFERENCE.json OTHER.json [--variant generated|dagfactory]

Every difference is either one of the known, explained differences between the variants
(EXPECTED below) or unexpected. Unexpected differences mean the variants are not the same
DAGs and the timing comparison would not be fair: bench.py stops on them.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from typing import Any, Callable

Diff = dict[str, Any]

# (variant, predicate, explanation). The predicate sees one difference.
EXPECTED: list[tuple[str, Callable[[Diff], bool], str]] = [
    (
        "generated",
        lambda d: (
            d.get("ref_operator") == "HttpOperator"
            and d.get("other_operator") == "HttpCallOperator"
        ),
        "http tasks: dagwright emits its own HttpCallOperator (dagwright_airflow.operators.http: retry policies, "
        "problem+json errors, `conn_id`/`json` arguments); the hand-written DAG uses the stock "
        "HttpOperator (`http_conn_id`, `data=json.dumps(...)`, Content-Type header)",
    ),
    (
        "generated",
        lambda d: d["field"] == "upstream" and d.get("group_order_edges") is True,
        "DAGWRIGHT BUG: extra upstream edges on tasks in task groups. The generated file writes "
        "`x >> group` and `group >> y` before the group's inner `a >> b` lines, so Airflow links every "
        "task of the group (not just its roots/leaves) to x and y. Redundant for ordering, but they "
        "change trigger rules that count direct upstreams and clutter the graph view",
    ),
    (
        "generated",
        lambda d: (
            d["field"] == "expand"
            and _map_names(d["ref"]) == ["as_args"]
            and _map_names(d["other"]) == ["item_args"]
        ),
        "for_each {from: task}: dagwright maps with dagwright_airflow.mapping.item_args, the hand-written "
        "DAG with a local as_args function (both: item -> [item])",
    ),
    (
        "dagfactory",
        lambda d: (
            d["field"] == "tags"
            and sorted(set(d["other"]) - set(d["ref"])) == ["dagfactory"]
        ),
        "dag-factory always adds the tag `dagfactory`",
    ),
    (
        "dagfactory",
        lambda d: d["field"] == "has_doc_md" and d["other"] is True,
        "dag-factory always sets the DAG's doc_md to the YAML it was built from",
    ),
    (
        "dagfactory",
        lambda d: (
            d["field"] == "data"
            and d.get("ref_operator") == "HttpOperator"
            and isinstance(d["other"], dict)
            and "callable" in d["other"]
        ),
        "http body: dag-factory turns `data` into a lambda returning the JSON string (its documented way for "
        "Content-Type application/json); the hand-written DAG passes json.dumps(...)",
    ),
    (
        "dagfactory",
        lambda d: (
            d["field"] == "expand"
            and _map_names(d["ref"]) == ["as_args"]
            and _map_names(d["other"]) == []
        ),
        "for_each {from: task}: dag-factory can only expand over the upstream XComArg as is (no .map()), so "
        "the upstream must return a list of argument lists",
    ),
]


def _map_names(expand: Any) -> list[str] | None:
    if isinstance(expand, dict):
        for value in expand.values():
            if isinstance(value, dict) and "xcom_from" in value:
                return value.get("map", [])
    return None


def diff(ref: dict[str, Any], other: dict[str, Any]) -> list[Diff]:
    out: list[Diff] = []
    for dag_id in sorted(set(ref) | set(other)):
        if dag_id not in other or dag_id not in ref:
            out.append(
                {
                    "dag": dag_id,
                    "task": None,
                    "field": "dag",
                    "ref": dag_id in ref,
                    "other": dag_id in other,
                }
            )
            continue
        a, b = ref[dag_id], other[dag_id]
        for field in sorted((set(a) | set(b)) - {"tasks"}):
            if a.get(field) != b.get(field):
                out.append(
                    {
                        "dag": dag_id,
                        "task": None,
                        "field": field,
                        "ref": a.get(field),
                        "other": b.get(field),
                    }
                )
        ta, tb = a["tasks"], b["tasks"]
        for task_id in sorted(set(ta) | set(tb)):
            if task_id not in ta or task_id not in tb:
                out.append(
                    {
                        "dag": dag_id,
                        "task": task_id,
                        "field": "task",
                        "ref": task_id in ta,
                        "other": task_id in tb,
                    }
                )
                continue
            x, y = ta[task_id], tb[task_id]
            for field in sorted(set(x) | set(y)):
                if x.get(field) != y.get(field):
                    d = {
                        "dag": dag_id,
                        "task": task_id,
                        "field": field,
                        "ref": x.get(field),
                        "other": y.get(field),
                        "ref_operator": x["operator"],
                        "other_operator": y["operator"],
                    }
                    if field == "upstream":
                        d["group_order_edges"] = _group_order_edges(
                            ta, task_id, set(x[field]), set(y[field])
                        )
                    out.append(d)
    return out


def _group_order_edges(
    tasks: dict[str, Any], task_id: str, ref: set[str], other: set[str]
) -> bool:
    """True when `other` is `ref` plus edges that `x >> group` / `group >> y` add when they run
    before the group's inner dependencies exist (then every task of the group is a root and a
    leaf): an extra upstream u of task t is either an upstream of t's group, or u is in a group
    that is upstream of t."""
    extra = other - ref
    if not extra or ref - other:
        return False
    group = tasks[task_id]["group"]
    group_upstream = {
        u
        for t in tasks.values()
        if group and t["group"] == group
        for u in t["upstream"]
        if tasks[u]["group"] != group
    }
    linked_groups = {
        tasks[u]["group"] for u in group_upstream | ref if tasks[u]["group"]
    }
    for u in extra:
        if not (u in group_upstream or tasks[u]["group"] in linked_groups):
            return False
    return True


def classify(diffs: list[Diff], variant: str) -> tuple[dict[str, int], list[Diff]]:
    """(explanation -> count, unexpected differences)."""
    expected: dict[str, int] = defaultdict(int)
    unexpected: list[Diff] = []
    for d in diffs:
        for v, predicate, why in EXPECTED:
            if v == variant and predicate(d):
                expected[why] += 1
                break
        else:
            unexpected.append(d)
    return dict(expected), unexpected


def report(ref_path: str, other_path: str, variant: str) -> dict[str, Any]:
    with open(ref_path, encoding="utf-8") as f:
        ref = json.load(f)
    with open(other_path, encoding="utf-8") as f:
        other = json.load(f)
    expected, unexpected = classify(diff(ref, other), variant)
    tasks = sum(len(d["tasks"]) for d in ref.values())
    return {
        "variant": variant,
        "dags": len(ref),
        "tasks": tasks,
        "expected": expected,
        "unexpected": unexpected,
    }


def main() -> int:
    ref_path, other_path = sys.argv[1], sys.argv[2]
    variant = (
        sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--variant" else "generated"
    )
    r = report(ref_path, other_path, variant)
    print(
        json.dumps(
            {
                **r,
                "unexpected": r["unexpected"][:20],
                "unexpected_count": len(r["unexpected"]),
            },
            indent=1,
        )
    )
    return 1 if r["unexpected"] else 0


if __name__ == "__main__":
    sys.exit(main())
