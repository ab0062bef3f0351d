"""DataQualityOperator: evaluate a DQDL ruleset on a dataset (``POST /v1/evaluations``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dagwright_airflow._compat import AirflowFailException, Context
from dagwright_airflow.operators._xcom import is_empty, pull_batch
from dagwright_airflow.operators.base import DagwrightJobOperator, without_none

ON_VIOLATION = ("quarantine", "fail", "warn")


class DataQualityOperator(DagwrightJobOperator):
    """Evaluate ``ruleset`` on ``dataset``, or on the batch of ``input_task_id``.

    The XCom is the evaluation (``{outcome, rows_in, rows_passed, rows_quarantined, rules,
    batch, ...}``); a following load reads its ``batch`` (the passed rows when quarantining,
    else the input dataset).

    :param ruleset: the DQDL ruleset text.
    :param on_violation: ``quarantine``, ``fail`` (the job fails with ``DQ.RulesFailed``)
        or ``warn``. A rule the service could not evaluate (an unknown column, an invalid
        where clause) is an ``ERROR`` result among the others, never a pass: ``fail`` fails
        the task with ``DQ.RulesFailed``, and so does ``quarantine``.
    :param input_task_id: the task whose batch to evaluate, when ``dataset`` is not given.
    :param input_mapped: ``input_task_id`` is mapped the same way as this task: each copy
        reads the batch of the copy at its own map index.
    :param dataset: an explicit dataset (overrides ``input_task_id``).
    :param format: ``csv``, ``jsonl`` or ``parquet``; the service infers it when omitted.
    :param pipeline: the pipeline name; defaults to the DAG id.
    """

    template_fields: Sequence[str] = ("ruleset", "dataset", "format", "pipeline")
    template_fields_renderers = {"dataset": "json"}
    ui_color = "#fef7e0"

    def __init__(
        self,
        *,
        ruleset: str,
        on_violation: str,
        input_task_id: str | None = None,
        input_mapped: bool = False,
        dataset: Any = None,
        format: str | None = None,
        pipeline: str | None = None,
        conn_id: str = "dagwright_dq",
        **kwargs: Any,
    ) -> None:
        super().__init__(conn_id=conn_id, **kwargs)
        if on_violation not in ON_VIOLATION:
            raise ValueError(f"on_violation must be one of {ON_VIOLATION}, not {on_violation!r}")
        self.ruleset = ruleset
        self.on_violation = on_violation
        self.input_task_id = input_task_id
        self.input_mapped = input_mapped
        self.dataset = dataset
        self.format = format
        self.pipeline = pipeline

    def _dataset(self, context: Context) -> Any:
        if self.dataset is not None:
            return self.dataset
        if self.input_task_id is None:
            raise AirflowFailException("DataQualityOperator needs dataset or input_task_id")
        return pull_batch(context, self.input_task_id, mapped_input=self.input_mapped)

    def execute(self, context: Context) -> Any:
        if self.dataset is None and self.input_task_id is not None:
            batch = self._dataset(context)
            if is_empty(batch):
                # Only a mapped copy gets here (pull_batch skips an unmapped task): the load
                # after it reads the same empty batch and does nothing either.
                self.log.info(
                    "Task %r found no new objects: nothing to evaluate", self.input_task_id
                )
                return {"batch": batch}
        return super().execute(context)

    def job_path(self, context: Context) -> str:
        return "/v1/evaluations"

    def summarize(self, result: Mapping[str, Any]) -> str | None:
        quarantine = result.get("quarantine")
        where = ""
        if result.get("rows_quarantined") and isinstance(quarantine, Mapping):
            where = f" to {quarantine.get('source')}"
        return (
            f"outcome {result.get('outcome')}: {result.get('rows_in')} rows in, "
            f"{result.get('rows_passed')} passed, {result.get('rows_quarantined')} "
            f"quarantined{where}"
        )

    def job_body(self, context: Context) -> dict[str, Any]:
        ti = context["ti"]
        return without_none(
            {
                "ruleset": self.ruleset,
                "on_violation": self.on_violation,
                "dataset": self._dataset(context),
                "format": self.format,
                "pipeline": self.pipeline or ti.dag_id,
                "run_id": ti.run_id,
                # The quarantine partition is the run's logical date (the data's date), not
                # the day the run happened to be triggered.
                "dt": context.get("ds"),
            }
        )
