"""JobCompletionTrigger: polls ``GET /v1/jobs/{id}`` until the job is final."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from dagwright_airflow._compat import BaseTrigger, TriggerEvent
from dagwright_airflow.hooks.service import DagwrightServiceHook
from dagwright_airflow.problem import ServiceProblem


class JobCompletionTrigger(BaseTrigger):
    """Yield one event when job ``job_id`` is final, or when polling it keeps failing.

    Events (``payload["status"]``):

    - ``"succeeded"`` / ``"failed"``: ``payload["job"]`` is the final job.
    - ``"error"``: ``payload["problem"]`` is the problem that stopped the polling: a
      non-retryable one at once, a retryable one (e.g. ``Transport.Unavailable``) after
      ``max_poll_errors`` consecutive failures. The operator resolves it against its
      retry policies; a resubmit with the same Idempotency-Key finds the same job again.
    """

    def __init__(
        self,
        conn_id: str,
        job_id: str,
        poll_interval: float = 5,
        max_poll_errors: int = 3,
        first_poll_after: float = 0,
    ) -> None:
        super().__init__()
        self.conn_id = conn_id
        self.job_id = job_id
        self.poll_interval = poll_interval
        self.max_poll_errors = max_poll_errors
        self.first_poll_after = first_poll_after

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "conn_id": self.conn_id,
                "job_id": self.job_id,
                "poll_interval": self.poll_interval,
                "max_poll_errors": self.max_poll_errors,
                "first_poll_after": self.first_poll_after,
            },
        )

    def hook(self) -> DagwrightServiceHook:
        return DagwrightServiceHook(self.conn_id)

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = self.hook()
        try:
            payload = await self.wait_until_final(hook)
        finally:
            await hook.aclose()
        yield TriggerEvent(payload)

    async def wait_until_final(self, hook: DagwrightServiceHook) -> dict[str, Any]:
        errors = 0
        last_status = None
        if self.first_poll_after > 0:
            # Not at once: an event right after the deferral meets Airflow's stale-success race
            # (see DagwrightJobOperator.wait_briefly).
            await asyncio.sleep(float(self.first_poll_after))
        while True:
            try:
                job = await hook.aget_job(self.job_id)
            except ServiceProblem as problem:
                errors += 1
                if not problem.retryable or errors > self.max_poll_errors:
                    return {"status": "error", "job_id": self.job_id, "problem": problem.to_dict()}
                wait = max(float(self.poll_interval), float(problem.retry_after or 0))
                self.log.warning(
                    "Polling job %s failed (%s), try %d of %d; next poll in %gs",
                    self.job_id,
                    problem.code,
                    errors,
                    self.max_poll_errors,
                    wait,
                )
                await asyncio.sleep(wait)
                continue
            errors = 0
            status = job["status"]
            if status != last_status:
                self.log.info("Job %s is %s (attempt %s)", self.job_id, status, job.get("attempt"))
                last_status = status
            if status in ("succeeded", "failed"):
                return {"status": status, "job_id": self.job_id, "job": job}
            await asyncio.sleep(float(self.poll_interval))
