"""WarehouseAvailabilityTrigger: polls ``GET /v1/warehouses/{name}/availability``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from dagwright_airflow._compat import BaseTrigger, TriggerEvent
from dagwright_airflow.hooks.service import DagwrightServiceHook, path_segment
from dagwright_airflow.problem import ServiceProblem


def availability_path(warehouse: str) -> str:
    return f"/v1/warehouses/{path_segment(warehouse)}/availability"


def next_poll(poll_interval: float, retry_after: float | None) -> float:
    """The wait before the next poll: the poll interval, or longer if Retry-After says so."""
    return max(float(poll_interval), float(retry_after or 0))


class WarehouseAvailabilityTrigger(BaseTrigger):
    """Yield ``{"status": "available"}`` once the warehouse is available.

    ``first_poll_after`` delays the first poll (the sensor has just poked).
    A retryable problem (the service's ``503`` with ``Retry-After``, a transport failure)
    means "not yet": poll again after ``max(poll_interval, Retry-After)``. A non-retryable
    problem (``401``, ``404``) yields ``{"status": "error", "problem": {...}}``.
    """

    def __init__(
        self,
        conn_id: str,
        warehouse: str,
        poll_interval: float = 60,
        first_poll_after: float = 0,
    ) -> None:
        super().__init__()
        self.conn_id = conn_id
        self.warehouse = warehouse
        self.poll_interval = poll_interval
        self.first_poll_after = first_poll_after

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "conn_id": self.conn_id,
                "warehouse": self.warehouse,
                "poll_interval": self.poll_interval,
                "first_poll_after": self.first_poll_after,
            },
        )

    def hook(self) -> DagwrightServiceHook:
        return DagwrightServiceHook(self.conn_id)

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = self.hook()
        try:
            payload = await self.wait_until_available(hook)
        finally:
            await hook.aclose()
        yield TriggerEvent(payload)

    async def wait_until_available(self, hook: DagwrightServiceHook) -> dict[str, Any]:
        path = availability_path(self.warehouse)
        if self.first_poll_after > 0:
            await asyncio.sleep(float(self.first_poll_after))
        while True:
            try:
                body = await hook.aget(path)
            except ServiceProblem as problem:
                if not problem.retryable:
                    return {
                        "status": "error",
                        "warehouse": self.warehouse,
                        "problem": problem.to_dict(),
                    }
                wait = next_poll(self.poll_interval, problem.retry_after)
                self.log.info(
                    "Warehouse %s not available yet (%s); next poll in %gs",
                    self.warehouse,
                    problem.code,
                    wait,
                )
                await asyncio.sleep(wait)
                continue
            if isinstance(body, dict) and body.get("status") == "available":
                return {"status": "available", "warehouse": self.warehouse}
            self.log.info("Warehouse %s answered %r; polling again", self.warehouse, body)
            await asyncio.sleep(float(self.poll_interval))
