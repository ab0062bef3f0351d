"""Finding the batch that an upstream task produced."""

from __future__ import annotations

from typing import Any

from dagwright_airflow._compat import AirflowFailException, Context

BATCH_KEY = "batch"


def pull_batch(context: Context, task_id: str) -> Any:
    """The batch produced by ``task_id``.

    In order: the ``"batch"`` key of that task's return value, its XCom under the key
    ``"batch"`` (which BookmarkBegin and DataQuality push), or its return value itself
    when that is a batch (a mapping with ``objects``).
    """
    ti = context["ti"]
    value = ti.xcom_pull(task_ids=task_id)
    if isinstance(value, dict) and BATCH_KEY in value:
        return value[BATCH_KEY]
    pushed = ti.xcom_pull(task_ids=task_id, key=BATCH_KEY)
    if pushed is not None:
        return pushed
    if isinstance(value, dict) and "objects" in value:
        return value
    raise AirflowFailException(f"task {task_id!r} produced no batch (no XCom 'batch')")


def push_batch(context: Context, batch: Any) -> None:
    if batch is not None:
        context["ti"].xcom_push(key=BATCH_KEY, value=batch)
