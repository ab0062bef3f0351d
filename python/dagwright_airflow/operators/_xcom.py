"""Finding the batch that an upstream task produced."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagwright_airflow._compat import AirflowFailException, Context


def pull_batch(context: Context, task_id: str) -> Any:
    """The batch produced by ``task_id``: the ``batch`` key of its return value.

    Bookmark begin and data quality results both carry ``batch``. A bookmarks batch lists
    object keys only, and its bucket is in the run's ``source``: that ``source`` (an
    ``s3://`` URI) is added to the batch when the batch has none, so the dq and loader
    services can resolve the keys. A return value that is itself a batch (a mapping with
    ``objects``) is taken as it is.
    """
    value = context["ti"].xcom_pull(task_ids=task_id)
    if isinstance(value, Mapping) and "batch" in value:
        batch = value["batch"]
        source = value.get("source")
        if (
            isinstance(batch, Mapping)
            and "source" not in batch
            and isinstance(source, str)
            and source.startswith("s3://")
        ):
            return {"source": source, **batch}
        return batch
    if isinstance(value, Mapping) and "objects" in value:
        return dict(value)
    raise AirflowFailException(
        f"task {task_id!r} returned no batch (its XCom has no 'batch' key): {type(value).__name__}"
    )
