"""DAG callbacks: SLA misses published to Amazon SNS.

``sla_miss_callback`` exists on Airflow 2.x only (3.0 removed SLAs); on 3.x the factory still
imports, but Airflow never calls it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

SUBJECT_LIMIT = 100  # SNS: at most 100 printable ASCII characters, no line breaks
# A DAG far behind (after an outage) misses one SLA per task per overdue run: thousands of
# lines would pass SNS's 256 KB message limit, the publish would fail, and the alert would
# never arrive. Each list shows its first entries and counts the rest.
LISTED_LIMIT = 50


def _sns_hook(aws_conn_id: str, region_name: str | None) -> Any:
    from airflow.providers.amazon.aws.hooks.sns import SnsHook

    return SnsHook(aws_conn_id=aws_conn_id, region_name=region_name)


def _subject(dag_id: str) -> str:
    text = f"[dagwright] SLA missed: {dag_id}"
    text = "".join(c if 32 <= ord(c) < 127 else "?" for c in text)
    return text[:SUBJECT_LIMIT]


def _when(sla: Any) -> str:
    for attr in ("logical_date", "execution_date"):
        value = getattr(sla, attr, None)
        if value is not None:
            return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "unknown run"


def sla_miss_message(
    dag: Any, slas: Iterable[Any] | None, blocking_tis: Iterable[Any] | None
) -> tuple[str, str]:
    """The SNS subject and message for one SLA-miss callback."""
    dag_id = getattr(dag, "dag_id", str(dag))
    lines = [f"DAG {dag_id} missed its SLA.", "", "Tasks that missed their SLA:"]
    missed = [f"  - {getattr(s, 'task_id', '?')} (run {_when(s)})" for s in slas or []]
    lines += _capped(missed) or ["  (none)"]
    blocking = [
        f"  - {getattr(ti, 'task_id', '?')} (run {getattr(ti, 'run_id', '?')}, "
        f"state {getattr(ti, 'state', '?')})"
        for ti in blocking_tis or []
    ]
    if blocking:
        lines += ["", "Blocking task instances:", *_capped(blocking)]
    return _subject(dag_id), "\n".join(lines)


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= LISTED_LIMIT:
        return lines
    return [*lines[:LISTED_LIMIT], f"  … and {len(lines) - LISTED_LIMIT} more"]


def sns_sla_miss_callback(
    target_arn: str, aws_conn_id: str = "aws_default", region_name: str | None = None
) -> Callable[..., None]:
    """Return a ``sla_miss_callback`` that publishes a summary to the SNS topic ``target_arn``.

    Uses the Amazon provider's ``SnsHook`` (imported when the callback runs).
    """

    def callback(
        dag: Any,
        task_list: Any = None,
        blocking_task_list: Any = None,
        slas: Any = None,
        blocking_tis: Any = None,
    ) -> None:
        subject, message = sla_miss_message(dag, slas, blocking_tis)
        log.info("Publishing SLA miss of %s to %s", getattr(dag, "dag_id", dag), target_arn)
        _sns_hook(aws_conn_id, region_name).publish_to_target(
            target_arn=target_arn, message=message, subject=subject
        )

    callback.__name__ = "sns_sla_miss_callback"
    callback.__qualname__ = "sns_sla_miss_callback"
    return callback


async def log_deadline_miss(context: dict[str, Any] | None = None, **_: Any) -> None:
    """Airflow 3.1+ deadline callback for pipelines with an ``sla`` but no ``on_failure``.

    Deadline alerts must have an awaitable callback; with no SNS topic to notify, the miss is
    logged as a warning (Airflow also records it with the DAG run's deadlines).
    """
    context = context or {}
    dag_run = context.get("dag_run") or {}
    deadline = context.get("deadline") or {}

    def field(record: Any, name: str) -> Any:
        return record.get(name) if isinstance(record, dict) else getattr(record, name, None)

    # Airflow 3.1 hands the run as its REST API shows it (DAGRunResponse: ``dag_run_id``).
    run_id = field(dag_run, "dag_run_id") or field(dag_run, "run_id")
    log.warning(
        "DAG %s run %s missed its deadline (%s; queued at %s)",
        field(dag_run, "dag_id"),
        run_id,
        field(deadline, "deadline_time"),
        field(dag_run, "queued_at"),
    )
