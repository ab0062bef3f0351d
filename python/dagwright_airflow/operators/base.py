"""The shared loop of every service operator: submit -> defer -> complete -> retry policy.

``DagwrightServiceOperator`` resolves problems against the task's retry policies (see
``dagwright_airflow.retry``): it waits by deferring to a timer trigger (no worker slot held)
or, with ``deferrable=False``, by sleeping in the worker (the slot stays held), then calls
``attempt`` again. ``DagwrightJobOperator`` adds the job protocol: POST with an
Idempotency-Key, defer to :class:`JobCompletionTrigger`, and return the job's ``result``.

``execution_timeout`` bounds a try in all, deferrals included: the first ``execute`` records
its deadline, every deferral carries it (``kwargs["deadline"]``, epoch seconds) and gives
``defer`` the time left as its ``timeout``. Airflow 3.x enforces ``execution_timeout`` only
while the task runs in a worker (apache/airflow#69678); 2.x also bounds a deferral by it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import cached_property
from typing import Any
from urllib.parse import quote

from dagwright_airflow._compat import (
    AirflowException,
    AirflowFailException,
    AirflowTaskTimeout,
    BaseOperator,
    BaseTrigger,
    Context,
    TimeDeltaTrigger,
    is_deferral_timeout,
)
from dagwright_airflow.hooks.service import FINAL_JOB_STATUSES, DagwrightServiceHook
from dagwright_airflow.problem import ServiceProblem
from dagwright_airflow.retry import RetryPolicy, decide, retry_delay_scale
from dagwright_airflow.triggers.job import JobCompletionTrigger

MAX_KEY_LENGTH = 255
# Visible ASCII but "%", which escapes everything else.
_KEY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "%")


def idempotency_key(context: Context) -> str:
    """``<dag_id>/<task_id>/<run_id>/<map_index>``, as at most 255 visible ASCII characters."""
    ti = context["ti"]
    map_index = getattr(ti, "map_index", None)
    if map_index is None:
        map_index = -1
    raw = f"{ti.dag_id}/{ti.task_id}/{ti.run_id}/{map_index}"
    key = quote(raw, safe=_KEY_SAFE)
    if len(key) > MAX_KEY_LENGTH:
        digest = hashlib.sha256(raw.encode()).hexdigest()
        key = key[: MAX_KEY_LENGTH - len(digest) - 1] + "~" + digest
    return key


def checked_item(item: Any) -> str | int | float:
    """A mapped item as the templates may render it: a string or a number."""
    if isinstance(item, bool) or not isinstance(item, (str, int, float)):
        raise AirflowFailException(
            f"a mapped item must be a string or a number, not {type(item).__name__}: {item!r}"
        )
    return item


def without_none(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


WAIT_BEFORE_DEFER_SECONDS = 10.0


class DagwrightServiceOperator(BaseOperator):
    """Base for operators that call a dagwright service and obey retry policies.

    :param conn_id: the Airflow connection of the service.
    :param retry_policies: a list (even empty) for the spec's list form: a matching code is
        retried by this operator and anything else fails at once; ``None`` for the map form:
        retryable problems raise ``AirflowException`` so Airflow's own retries apply.
    :param deferrable: wait in the triggerer (default). ``False`` waits with ``time.sleep``
        in the worker, which holds the worker slot while waiting.
    :param wait_before_defer: seconds a wait may take in the worker before it is deferred
        (default 10): a job that finishes sooner, or a retry delay this short, never defers
        (see :meth:`DagwrightJobOperator.wait_briefly`).
    """

    def __init__(
        self,
        *,
        conn_id: str,
        retry_policies: Sequence[RetryPolicy] | None = None,
        deferrable: bool = True,
        wait_before_defer: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.wait_before_defer = (
            WAIT_BEFORE_DEFER_SECONDS if wait_before_defer is None else wait_before_defer
        )
        scale = retry_delay_scale()
        if scale != 1:
            self.retry_delay = self.retry_delay * scale
            if self.max_retry_delay is not None:
                self.max_retry_delay = self.max_retry_delay * scale
        self.conn_id = conn_id
        self.retry_policies = list(retry_policies) if retry_policies is not None else None
        self.deferrable = deferrable
        self._deadline: float | None = None

    @cached_property
    def hook(self) -> DagwrightServiceHook:
        return DagwrightServiceHook(self.conn_id)

    def execute(self, context: Context) -> Any:
        self._try_number = getattr(context["ti"], "try_number", None)
        timeout = self.execution_timeout
        self._deadline = time.time() + timeout.total_seconds() if timeout else None
        return self.attempt(context, {})

    def resume_execution(self, next_method: str, next_kwargs: Any, context: Context) -> Any:
        # A deferral belongs to the try that made it. Airflow 3.0 can start a retry with the
        # failed try's next_method and trigger event still set (seen in the e2e crash test: every
        # retry re-read the first try's Job.Interrupted and failed without posting again). A
        # resume carrying another try's number starts this try afresh.
        current = getattr(context["ti"], "try_number", None)
        deferred_in = (
            (next_kwargs or {}).get("try_number") if isinstance(next_kwargs, dict) else None
        )
        if deferred_in is not None and current is not None and int(deferred_in) != int(current):
            self.log.warning(
                "Resumed in try %s with the deferral of try %s: starting this try afresh",
                current,
                deferred_in,
            )
            return self.execute(context)
        self._try_number = current
        if is_deferral_timeout(next_method, next_kwargs):
            raise self.timed_out("the deferral's timeout passed")
        if isinstance(next_kwargs, dict):
            # The try number is this method's to read; the resume methods never see it.
            next_kwargs = {k: v for k, v in next_kwargs.items() if k != "try_number"}
        return super().resume_execution(next_method, next_kwargs, context)

    def timed_out(self, why: str) -> AirflowTaskTimeout:
        """The error of a try past its deadline: a task timeout, retried as Airflow's own is."""
        return AirflowTaskTimeout(
            f"task {self.task_id} timed out: its timeout (execution_timeout"
            f" {self.execution_timeout}) counts deferrals too, and {why}"
        )

    def resume_deadline(self, deadline: float | None, *, check: bool) -> None:
        """On resuming from a deferral: take up the try's deadline; with ``check``, fail if
        it has passed (a finished job's result is still taken)."""
        self._deadline = None if deadline is None else float(deadline)
        if check and self._deadline is not None and time.time() >= self._deadline:
            raise self.timed_out("it passed while the task was deferred")

    def defer_within_deadline(
        self, trigger: BaseTrigger, method_name: str, retries: Mapping[str, int]
    ) -> None:
        """``defer`` with the retry counters and the deadline, for no longer than the time left."""
        kwargs: dict[str, Any] = {"retries": dict(retries)}
        if getattr(self, "_try_number", None) is not None:
            kwargs["try_number"] = self._try_number
        timeout = None
        if self._deadline is not None:
            left = self._deadline - time.time()
            if left <= 0:
                raise self.timed_out("it passed before the task could defer")
            kwargs["deadline"] = self._deadline
            timeout = timedelta(seconds=left)
        self.defer(trigger=trigger, method_name=method_name, kwargs=kwargs, timeout=timeout)

    def attempt(self, context: Context, retries: dict[str, int]) -> Any:
        """One try; ``retries`` counts the retries done so far per policy."""
        raise NotImplementedError

    def handle_problem(
        self, context: Context, problem: ServiceProblem, retries: Mapping[str, int]
    ) -> Any:
        """Retry (wait, then ``attempt`` again) or raise, as the retry policies say."""
        decision = decide(
            self.retry_policies,
            problem.code,
            problem.retryable,
            problem.retry_after,
            retries,
            scale=retry_delay_scale(),
        )
        if decision.action == "airflow_retry":
            raise AirflowException(f"{problem.describe()} (retryable: Airflow's retries apply)")
        if decision.action == "fail":
            raise AirflowFailException(f"{problem.describe()} -- {decision.reason}, failing now")
        self.log.warning("%s -- %s", problem.describe(), decision.reason)
        if self._deadline is not None and time.time() + decision.delay >= self._deadline:
            raise self.timed_out(
                f"the next try, {decision.delay:g}s away ({problem.code}), would begin after it"
            )
        if decision.delay <= 0:
            return self.attempt(context, decision.retries)
        # A short delay is slept here: a timer that fires seconds after the deferral meets the
        # same Airflow race as a fast job (DagwrightJobOperator.wait_briefly).
        if self.deferrable and decision.delay > self.wait_before_defer:
            self.defer_within_deadline(
                TimeDeltaTrigger(timedelta(seconds=decision.delay)),
                "resume_after_delay",
                decision.retries,
            )
        self.log.info("Sleeping %gs in the worker (deferrable=False)", decision.delay)
        time.sleep(decision.delay)
        return self.attempt(context, decision.retries)

    def resume_after_delay(
        self,
        context: Context,
        event: Any = None,
        retries: Mapping[str, int] | None = None,
        deadline: float | None = None,
    ) -> Any:
        """Resumed by the timer trigger: try again with the counters carried in the deferral."""
        self.resume_deadline(deadline, check=True)
        return self.attempt(context, {str(k): int(v) for k, v in (retries or {}).items()})


class DagwrightJobOperator(DagwrightServiceOperator):
    """Base for operators whose call is a service job (``POST`` → ``202`` → poll).

    Subclasses give ``job_path`` and ``job_body``; the task's XCom is the job's ``result``.
    The body must be the same on every try: a resubmit reuses the Idempotency-Key.

    :param item: the item of a mapped copy (``Operator.partial(...).expand(item=[...])``),
        a string or a number: the templated fields render it as ``{{ item }}``.
    """

    def __init__(
        self, *, poll_interval: float = 5, item: str | int | float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.poll_interval = poll_interval
        self.item = item

    def render_template(
        self,
        content: Any,
        context: Context,
        jinja_env: Any = None,
        seen_oids: set[int] | None = None,
    ) -> Any:
        """Render with ``item`` in the Jinja context. Every Airflow version renders each
        templated field through this method of the (unmapped) task, mapped or not."""
        if self.item is not None:
            context["item"] = checked_item(self.item)  # type: ignore[typeddict-unknown-key]
        return super().render_template(content, context, jinja_env, seen_oids)

    def job_path(self, context: Context) -> str:
        raise NotImplementedError

    def job_body(self, context: Context) -> dict[str, Any]:
        raise NotImplementedError

    def summarize(self, result: Mapping[str, Any]) -> str | None:
        """One line for the task log: what the job did (the counts), or None."""
        return None

    def attempt(self, context: Context, retries: dict[str, int]) -> Any:
        try:
            job = self.hook.submit_job(
                self.job_path(context), self.job_body(context), idempotency_key(context)
            )
        except ServiceProblem as problem:
            return self.handle_problem(context, problem, retries)
        self.log.info("Job %s is %s (attempt %s)", job["id"], job["status"], job.get("attempt"))
        if job["status"] not in FINAL_JOB_STATUSES and self.deferrable:
            job = self.wait_briefly(job)
        if job["status"] not in FINAL_JOB_STATUSES:
            if self.deferrable:
                self.defer_within_deadline(
                    JobCompletionTrigger(
                        conn_id=self.conn_id,
                        job_id=job["id"],
                        poll_interval=self.poll_interval,
                        first_poll_after=self.poll_interval,
                    ),
                    "execute_complete",
                    retries,
                )
            try:
                job = self.wait_in_worker(job["id"])
            except ServiceProblem as problem:
                return self.handle_problem(context, problem, retries)
        return self.finish(context, job, retries)

    def wait_briefly(self, job: dict) -> dict:
        """Poll a job in the worker for up to ``wait_before_defer`` seconds before deferring.

        A short job then finishes without a deferral, which costs the scheduler and triggerer
        a round trip of seconds. It also keeps fast jobs clear of an Airflow race
        (apache/airflow#66374, #72716): when a trigger fires right after a task deferred, the
        scheduler can drain the deferring process's stale "success" only after the task has
        resumed, take it for an external kill, fail that try and call its failure callback.
        """
        deadline = time.monotonic() + self.wait_before_defer
        while job["status"] not in FINAL_JOB_STATUSES and time.monotonic() < deadline:
            time.sleep(max(0.0, min(1.0, deadline - time.monotonic())))
            try:
                job = self.hook.get_job(job["id"])
            except ServiceProblem:
                break  # the trigger polls with its own error budget
        return job

    def wait_in_worker(self, job_id: str, max_poll_errors: int = 3) -> dict:
        """Poll the job with ``time.sleep`` (deferrable=False: holds the worker slot)."""
        errors = 0
        while True:
            time.sleep(self.poll_interval)
            try:
                job = self.hook.get_job(job_id)
            except ServiceProblem as problem:
                errors += 1
                if not problem.retryable or errors > max_poll_errors:
                    raise
                self.log.warning("Polling job %s failed (%s)", job_id, problem.code)
                continue
            errors = 0
            if job["status"] in FINAL_JOB_STATUSES:
                return job

    def finish(self, context: Context, job: Mapping[str, Any], retries: Mapping[str, int]) -> Any:
        if job["status"] == "succeeded":
            result = job.get("result")
            summary = self.summarize(result) if isinstance(result, Mapping) else None
            self.log.info("Job %s succeeded%s", job["id"], f": {summary}" if summary else "")
            return result
        problem = ServiceProblem.from_dict(job.get("error"))
        self.log.warning("Job %s failed: %s", job["id"], problem.describe())
        return self.handle_problem(context, problem, dict(retries))

    def execute_complete(
        self,
        context: Context,
        event: Any = None,
        retries: Mapping[str, int] | None = None,
        deadline: float | None = None,
    ) -> Any:
        """Resumed by :class:`JobCompletionTrigger`: validate the event, then finish."""
        self.resume_deadline(deadline, check=False)
        counters = {str(k): int(v) for k, v in (retries or {}).items()}
        if not isinstance(event, Mapping):
            raise AirflowException(f"unexpected trigger event: {event!r}")
        status = event.get("status")
        if status == "error":
            problem = ServiceProblem.from_dict(event.get("problem"))
            return self.handle_problem(context, problem, counters)
        job = event.get("job")
        if status not in FINAL_JOB_STATUSES or not isinstance(job, Mapping):
            raise AirflowException(f"unexpected trigger event: {event!r}")
        if job.get("status") != status or not isinstance(job.get("id"), str):
            raise AirflowException(f"trigger event does not carry a {status} job: {event!r}")
        return self.finish(context, job, counters)
