"""LoadOperator: load a batch into a warehouse table (``POST /v1/loads``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dagwright_airflow._compat import Context
from dagwright_airflow.operators._xcom import pull_batch
from dagwright_airflow.operators.base import DagwrightJobOperator, without_none

MODES = ("append", "merge", "replace")


class LoadOperator(DagwrightJobOperator):
    """Load the batch of ``input_task_id`` into ``warehouse``.``table``.

    The XCom is the load report (``{rows_loaded, rows_inserted, rows_updated,
    rows_deleted, bytes, duration_ms}``).

    :param warehouse: the warehouse target's name, as configured in the loader.
    :param table: the target table.
    :param mode: ``append``, ``merge`` (needs ``keys``) or ``replace``.
    :param keys: the merge keys.
    :param order_by: with duplicate keys in one batch, the column whose greatest value wins.
    :param input_task_id: the task whose batch to load.
    :param format: the batch's file format (``csv``, ``jsonl`` or ``parquet``); the loader
        infers it from the object names when omitted.
    :param options: loader options (``allow_new_columns``, ...), sent as they are.
    """

    template_fields: Sequence[str] = ("warehouse", "table", "keys", "order_by", "format", "options")
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
        self.input_task_id = input_task_id
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

    def job_body(self, context: Context) -> dict[str, Any]:
        batch = pull_batch(context, self.input_task_id) if self.input_task_id else None
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
