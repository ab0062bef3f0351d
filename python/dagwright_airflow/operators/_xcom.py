"""Finding the batch that an upstream task produced."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagwright_airflow._compat import AirflowFailException, AirflowSkipException, Context


def pull_batch(context: Context, task_id: str) -> Any:
    """The batch produced by ``task_id``: the ``batch`` key of its return value.

    Bookmark begin and data quality results both carry ``batch``. A bookmarks batch lists
    object keys only, and its bucket is in the run's ``source``: that ``source`` (an
    ``s3://`` URI) is added to the batch when the batch has none, so the dq and loader
    services can resolve the keys. A return value that is itself a batch (a mapping with
    ``objects``, or a large batch's ``manifest`` reference) is taken as it is.

    A large batch is ``{manifest, source, count, total_bytes}``: a reference to the list of
    its objects in S3, which the dq and loader services read. It is passed on as it is, so
    XCom and the request bodies carry the reference, never the list.
    """
    batch = _batch_of(context["ti"].xcom_pull(task_ids=task_id), task_id)
    if isinstance(batch, Mapping) and (batch.get("objects") == [] or batch.get("count") == 0):
        # Nothing new: skip, so the bookmark's commit (none_failed) still records the run.
        raise AirflowSkipException(f"task {task_id!r} found no new objects: nothing to do")
    return batch


def _batch_of(value: Any, task_id: str) -> Any:
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
    if isinstance(value, Mapping) and ("objects" in value or "manifest" in value):
        return dict(value)
    raise AirflowFailException(
        f"task {task_id!r} returned no batch (its XCom has no 'batch' key): {type(value).__name__}"
    )
