"""Finding the batch that an upstream task produced."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagwright_airflow._compat import AirflowFailException, AirflowSkipException, Context


def pull_batch(context: Context, task_id: str, *, mapped_input: bool = False) -> Any:
    """The batch produced by ``task_id``: the ``batch`` key of its return value.

    A mapped ``task_id`` (``mapped_input``) is read at the caller's own map index: the caller
    is mapped over the same items. The map index is always given, as Airflow 2.x pulls every
    copy of a mapped task by default and 3.x the caller's own index.

    Bookmark begin and data quality results both carry ``batch``. A bookmarks batch lists
    object keys only, and its bucket is in the run's ``source``: that ``source`` (an
    ``s3://`` URI) is added to the batch when the batch has none, so the dq and loader
    services can resolve the keys. A return value that is itself a batch (a mapping with
    ``objects``, or a large batch's ``manifest`` reference) is taken as it is.

    A large batch is ``{manifest, source, count, total_bytes}``: a reference to the list of
    its objects in S3, which the dq and loader services read. It is passed on as it is, so
    XCom and the request bodies carry the reference, never the list.
    """
    ti = context["ti"]
    map_index = getattr(ti, "map_index", -1) if mapped_input else -1
    value = ti.xcom_pull(task_ids=task_id, map_indexes=map_index)
    if value is None and mapped_input:
        raise AirflowFailException(f"task {task_id!r} left no batch at map index {map_index}")
    batch = _batch_of(value, task_id)
    if is_empty(batch) and not is_mapped(context):
        # Nothing new: skip, so the bookmark's commit (none_failed) still records the run.
        raise AirflowSkipException(f"task {task_id!r} found no new objects: nothing to do")
    return batch


def is_empty(batch: Any) -> bool:
    """A batch with nothing in it: no objects listed, or a manifest reference counting none."""
    return isinstance(batch, Mapping) and (batch.get("objects") == [] or batch.get("count") == 0)


def is_mapped(context: Context) -> bool:
    """Whether the running task is a mapped copy. A mapped copy with an empty batch succeeds
    without calling the service instead of skipping: Airflow counts every copy of a mapped
    upstream, so one skipped copy would skip all the copies after it, and a bookmark's commit
    would then record batches that were never loaded."""
    map_index = getattr(context["ti"], "map_index", -1)
    return map_index is not None and map_index >= 0


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
