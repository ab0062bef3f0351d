"""One measurement, in the process that runs it: how long `DagBag(dag_folder=...)` takes.

    python parse_once.py DAG_FOLDER EXPECTED_DAGS [--fingerprint OUT.json]

Run it in a fresh interpreter each time (bench.py does). The clock starts after
`from airflow.models.dagbag import DagBag` (the Airflow import and settings initialisation are
the same for every variant) and stops when DagBag's constructor returns (wall clock, and the
process's CPU time, which a busy machine disturbs less), so it covers exactly
what DagBag does with the folder: listing it, importing each DAG file (and whatever that file
imports for the first time in the process), and bagging and validating each DAG.

Prints one line `PARSE_TIME_RESULT {json}` on stdout. Exits 1 when DagBag reports an import
error or the DAG count is not EXPECTED_DAGS (dag-factory logs and swallows a YAML file's
errors, so the count is what catches them there).

With --fingerprint, it also writes, per DAG, the DAG's and every task's effective arguments
(after default_args), its operator class, group and upstream task ids: compare.py compares
the variants with them.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import timedelta
from typing import Any

t_start = time.perf_counter()
from airflow.models.dagbag import DagBag  # noqa: E402

t_imported = time.perf_counter()

TASK_ATTRS = [
    "owner",
    "retries",
    "retry_delay",
    "retry_exponential_backoff",
    "max_retry_delay",
    "execution_timeout",
    "pool",
    "pool_slots",
    "trigger_rule",
    "doc_md",
    "max_active_tis_per_dagrun",
    # bash
    "bash_command",
    "env",
    "append_env",
    "cwd",
    # python
    "python_callable",
    "op_kwargs",
    "op_args",
    # S3KeySensor
    "bucket_name",
    "bucket_key",
    "wildcard_match",
    "aws_conn_id",
    "mode",
    "poke_interval",
    "timeout",
    "deferrable",
    # HTTP: HttpOperator (http_conn_id, data) and dagwright's HttpCallOperator (conn_id, json)
    "http_conn_id",
    "conn_id",
    "endpoint",
    "method",
    "headers",
    "data",
    "json",
    "expected_status",
]
MISSING = object()


def norm(value: Any) -> Any:
    """A JSON-comparable form of an operator argument."""
    from airflow.models.xcom_arg import MapXComArg, PlainXComArg

    if isinstance(value, timedelta):
        return {"timedelta_s": value.total_seconds()}
    if isinstance(value, MapXComArg):
        return {
            "xcom_from": value.arg.operator.task_id,
            "map": [getattr(f, "__name__", repr(f)) for f in value.callables],
        }
    if isinstance(value, PlainXComArg):
        return {"xcom_from": value.operator.task_id, "key": value.key}
    if callable(value):
        return {
            "callable": f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', repr(value))}"
        }
    if isinstance(value, dict):
        return {str(k): norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [norm(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return {"repr": repr(value)}


def task_fingerprint(task: Any) -> dict[str, Any]:
    from airflow.models.mappedoperator import MappedOperator

    mapped = isinstance(task, MappedOperator)
    out: dict[str, Any] = {
        "operator": task.task_type,
        "mapped": mapped,
        "group": task.task_group.group_id if task.task_group is not None else None,
        "upstream": sorted(task.upstream_task_ids),
    }
    for attr in TASK_ATTRS:
        if mapped:
            value = task.partial_kwargs.get(attr, MISSING)
            if value is MISSING and attr in (
                "owner",
                "retries",
                "retry_delay",
                "retry_exponential_backoff",
                "max_retry_delay",
                "execution_timeout",
                "pool",
                "pool_slots",
                "trigger_rule",
                "doc_md",
                "max_active_tis_per_dagrun",
            ):
                value = getattr(task, attr, MISSING)
        else:
            value = getattr(task, attr, MISSING)
        if value is not MISSING:
            out[attr] = norm(value)
    if mapped:
        out["expand"] = norm(dict(task.expand_input.value))
    return out


def dag_fingerprint(dag: Any) -> dict[str, Any]:
    return {
        "description": dag.description,
        "schedule": norm(dag.schedule_interval),
        "timetable": type(dag.timetable).__name__,
        "start_date": dag.start_date.isoformat() if dag.start_date else None,
        "timezone": str(dag.timezone.name),
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "max_active_tasks": dag.max_active_tasks,
        "tags": sorted(dag.tags or []),
        "has_doc_md": bool(dag.doc_md),
        "group_tooltips": {
            g: tg.tooltip for g, tg in dag.task_group.get_task_group_dict().items() if g
        },
        "tasks": {t.task_id: task_fingerprint(t) for t in dag.tasks},
    }


def main() -> int:
    folder, expected = sys.argv[1], int(sys.argv[2])
    fingerprint_out = (
        sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--fingerprint" else None
    )

    t0, c0 = time.perf_counter(), time.process_time()
    bag = DagBag(dag_folder=folder, include_examples=False)
    t1, c1 = time.perf_counter(), time.process_time()

    errors = dict(bag.import_errors)
    durations = [s.duration.total_seconds() for s in bag.dagbag_stats]
    result = {
        "dagbag_s": t1 - t0,
        "dagbag_cpu_s": c1 - c0,
        "import_dagbag_s": t_imported - t_start,
        "dags": bag.size(),
        "tasks": sum(len(d.tasks) for d in bag.dags.values()),
        "files": len(bag.dagbag_stats),
        "file_s_sum": sum(durations),
        "file_s_max": max(durations) if durations else 0.0,
        "file_s_median": statistics.median(durations) if durations else 0.0,
        "import_errors": len(errors),
        "pid": os.getpid(),
    }
    print("PARSE_TIME_RESULT " + json.dumps(result), flush=True)
    if errors:
        for path, err in list(errors.items())[:5]:
            print(f"import error in {path}:\n{err}", file=sys.stderr)
        return 1
    if bag.size() != expected:
        print(f"expected {expected} DAGs, DagBag has {bag.size()}", file=sys.stderr)
        return 1
    if fingerprint_out:
        with open(fingerprint_out, "w", encoding="utf-8") as f:
            json.dump(
                {
                    dag_id: dag_fingerprint(dag)
                    for dag_id, dag in sorted(bag.dags.items())
                },
                f,
                indent=1,
                sort_keys=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
