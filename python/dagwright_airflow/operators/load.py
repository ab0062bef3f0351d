"""LoadOperator: load a batch into a warehouse table (``POST /v1/loads``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dagwright_airflow._compat import AirflowFailException, Context
from dagwright_airflow.hooks.s3_source import list_source
from dagwright_airflow.operators._xcom import is_empty, pull_batch
from dagwright_airflow.operators.base import DagwrightJobOperator, without_none

MODES = ("append", "merge", "replace")


class LoadOperator(DagwrightJobOperator):
    """Load the batch of ``input_task_id``, or the objects at ``source``, into
    ``warehouse``.``table``.

    The XCom is the load report (``{rows_loaded, rows_inserted, rows_updated,
    rows_deleted, bytes, duration_ms}``).

    :param warehouse: the warehouse target's name, as configured in the loader.
    :param table: the target table.
    :param mode: ``append``, ``merge`` (needs ``keys``) or ``replace``.
    :param keys: the merge keys.
    :param order_by: with duplicate keys in one batch, the column whose greatest value wins.
    :param input_task_id: the task whose batch to load.
    :param input_mapped: ``input_task_id`` is mapped the same way as this task: each copy
        loads the batch of the copy at its own map index.
    :param source: an ``s3://`` prefix (ending in ``/``: every data object under it) or
        object to load instead of an upstream batch; listed when the task runs.
    :param aws_conn_id: the AWS connection that lists ``source`` (``aws_default``).
    :param format: the batch's file format (``csv``, ``jsonl`` or ``parquet``); the loader
        infers it from the object names when omitted.
    :param options: loader options (``allow_new_columns``, ...), sent as they are.
    """

    template_fields: Sequence[str] = (
        "warehouse",
        "table",
        "keys",
        "order_by",
        "source",
        "format",
        "options",
    )
    template_fields_renderers = {"options": "json"}
    ui_color = "#e6f4ea"

    def __init__(
        self,
        *,
        warehouse: str,
        table: str,
        mode: str,
        keys: list[str] | None = None,
        order_by: str | None = None,
        input_task_id: str | None = None,
        input_mapped: bool = False,
        source: str | None = None,
        aws_conn_id: str | None = None,
        format: str | None = None,
        options: dict[str, Any] | None = None,
        conn_id: str = "dagwright_loader",
        **kwargs: Any,
    ) -> None:
        super().__init__(conn_id=conn_id, **kwargs)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if mode == "merge" and not keys:
            raise ValueError("mode 'merge' needs keys")
        self.warehouse = warehouse
        self.table = table
        self.mode = mode
        self.keys = keys
        self.order_by = order_by
        if source is not None and input_task_id is not None:
            raise ValueError("give source or input_task_id, not both")
        self.input_task_id = input_task_id
        self.input_mapped = input_mapped
        self.source = source
        self.aws_conn_id = aws_conn_id
        self.format = format
        self.options = options

    def job_path(self, context: Context) -> str:
        return "/v1/loads"

    def summarize(self, result: Mapping[str, Any]) -> str | None:
        replayed = " (a replay: this batch was loaded before)" if result.get("replayed") else ""
        return (
            f"{result.get('rows_loaded')} rows loaded into {result.get('table', self.table)}: "
            f"{result.get('rows_inserted')} inserted, {result.get('rows_updated')} updated, "
            f"{result.get('rows_deleted')} deleted{replayed}"
        )

    def _batch(self, context: Context) -> Any:
        """The objects at ``source``, the batch of ``input_task_id``, or None (neither)."""
        if self.source is not None:
            batch = list_source(self.source, self.aws_conn_id or "aws_default")
            if is_empty(batch):
                raise AirflowFailException(f"{self.source} holds no data objects to load")
            return batch
        if self.input_task_id is None:
            return None
        return pull_batch(context, self.input_task_id, mapped_input=self.input_mapped)

    def execute(self, context: Context) -> Any:
        if self.source is None and self.input_task_id is not None:
            batch = self._batch(context)
            if is_empty(batch):
                # Only a mapped copy gets here (pull_batch skips an unmapped task).
                self.log.info("Task %r found no new objects: nothing to load", self.input_task_id)
                return {"batch": batch}
        return super().execute(context)

    def job_body(self, context: Context) -> dict[str, Any]:
        batch = self._batch(context)
        return without_none(
            {
                "warehouse": self.warehouse,
                "table": self.table,
                "mode": self.mode,
                "keys": list(self.keys) if self.keys is not None else None,
                "order_by": self.order_by,
                "batch": batch,
                "format": self.format,
                "options": self.options,
            }
        )
