"""WarehouseAvailableSensor: wait until the loader says a warehouse is available."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from functools import cached_property
from typing import Any

from dagwright_airflow._compat import (
    AirflowException,
    AirflowFailException,
    AirflowSensorTimeout,
    BaseSensorOperator,
    Context,
    is_deferral_timeout,
)
from dagwright_airflow.hooks.service import DagwrightServiceHook
from dagwright_airflow.problem import ServiceProblem
from dagwright_airflow.triggers.warehouse import (
    WarehouseAvailabilityTrigger,
    availability_path,
    next_poll,
)

SEVEN_DAYS = 60 * 60 * 24 * 7


class WarehouseAvailableSensor(BaseSensorOperator):
    """Wait for ``GET /v1/warehouses/{warehouse}/availability`` to answer ``available``.

    A retryable problem (the loader's ``503`` with ``Retry-After``, a transport failure)
    means "not yet", and the next poke waits ``max(poke_interval, Retry-After)``; a
    non-retryable one (``401``, ``404``) fails the task.

    With ``deferrable=True`` (default) the sensor pokes once, then defers to
    :class:`WarehouseAvailabilityTrigger`, which polls without a worker slot. With
    ``deferrable=False`` it is an ordinary sensor (use ``mode="reschedule"``).
    ``poke_interval`` and ``timeout`` take seconds or a ``timedelta``.
    """

    template_fields: Sequence[str] = ("warehouse",)
    ui_color = "#e6f4ea"

    def __init__(
        self,
        *,
        warehouse: str,
        conn_id: str = "dagwright_loader",
        deferrable: bool = True,
        poke_interval: float | timedelta = 60,
        timeout: float | timedelta = SEVEN_DAYS,
        **kwargs: Any,
    ) -> None:
        super().__init__(poke_interval=poke_interval, timeout=timeout, **kwargs)
        self.warehouse = warehouse
        self.conn_id = conn_id
        self.deferrable = deferrable
        self._retry_after: float | None = None

    @cached_property
    def hook(self) -> DagwrightServiceHook:
        return DagwrightServiceHook(self.conn_id)

    def poke(self, context: Context) -> bool:
        self._retry_after = None
        try:
            body = self.hook.get(availability_path(self.warehouse))
        except ServiceProblem as problem:
            if not problem.retryable:
                raise AirflowFailException(
                    f"warehouse {self.warehouse}: {problem.describe()}"
                ) from None
            self._retry_after = problem.retry_after
            self.log.info("Warehouse %s not available yet: %s", self.warehouse, problem.describe())
            return False
        available = isinstance(body, Mapping) and body.get("status") == "available"
        self.log.info("Warehouse %s: %s", self.warehouse, "available" if available else body)
        return available

    def _get_next_poke_interval(
        self, started_at: Any, run_duration: Callable[[], float], poke_count: int
    ) -> float:
        base = super()._get_next_poke_interval(started_at, run_duration, poke_count)
        return next_poll(base, self._retry_after)

    def execute(self, context: Context) -> Any:
        if not self.deferrable:
            return super().execute(context)
        if self.poke(context):
            return None
        self.defer(
            trigger=WarehouseAvailabilityTrigger(
                conn_id=self.conn_id,
                warehouse=self.warehouse,
                poll_interval=self.poke_interval,
                first_poll_after=next_poll(self.poke_interval, self._retry_after),
            ),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout),
        )

    def resume_execution(self, next_method: str, next_kwargs: Any, context: Context) -> Any:
        # 3.x's BaseSensorOperator makes a deferral timeout AirflowSensorTimeout (never
        # retried); 2.x raises TaskDeferralError, which Airflow retries with a fresh timeout.
        if is_deferral_timeout(next_method, next_kwargs):
            raise AirflowSensorTimeout(
                f"warehouse {self.warehouse}: not available within the sensor's timeout"
                f" ({timedelta(seconds=self.timeout)})"
            )
        return super().resume_execution(next_method, next_kwargs, context)

    def execute_complete(self, context: Context, event: Any = None) -> None:
        if not isinstance(event, Mapping):
            raise AirflowException(f"unexpected trigger event: {event!r}")
        status = event.get("status")
        if status == "available":
            self.log.info("Warehouse %s is available", self.warehouse)
            return None
        if status == "error":
            problem = ServiceProblem.from_dict(event.get("problem"))
            raise AirflowFailException(f"warehouse {self.warehouse}: {problem.describe()}")
        raise AirflowException(f"unexpected trigger event: {event!r}")
