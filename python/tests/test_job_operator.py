"""The shared submit -> defer -> complete -> retry-policy loop (via LoadOperator)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dagwright_airflow._compat import (
    AirflowException,
    AirflowFailException,
    DateTimeTrigger,
    TaskDeferred,
)
from dagwright_airflow.operators.load import LoadOperator
from dagwright_airflow.retry import RetryPolicy
from dagwright_airflow.triggers.job import JobCompletionTrigger
from tests.fakes import RUN_ID, job, problem, problem_doc

KEY = f"orders/load_orders/{RUN_ID}/-1"
WAREHOUSE_RETRY = RetryPolicy(on=["Warehouse", "Redshift"], attempts=2, delay=30)


def make_load(**kwargs):
    kwargs.setdefault("retry_policies", [WAREHOUSE_RETRY])
    return LoadOperator(
        task_id="load_orders", warehouse="analytics", table="orders", mode="append", **kwargs
    )


def seconds_until(trigger) -> float:
    assert isinstance(trigger, DateTimeTrigger)
    return (trigger.moment - datetime.now(timezone.utc)).total_seconds()


def test_submit_then_defer_to_the_job_trigger(service, context):
    service.submit_answers = [job("queued")]
    with pytest.raises(TaskDeferred) as deferred:
        make_load(poll_interval=7).execute(context)
    d = deferred.value
    assert isinstance(d.trigger, JobCompletionTrigger)
    assert d.trigger.serialize()[1] == {
        "conn_id": "dagwright_loader",
        "job_id": "job_1",
        "poll_interval": 7,
        "max_poll_errors": 3,
        "first_poll_after": 7,
    }
    assert d.method_name == "execute_complete"
    assert d.kwargs == {"retries": {}, "try_number": 1}
    assert service.submits == [
        ("/v1/loads", {"warehouse": "analytics", "table": "orders", "mode": "append"}, KEY)
    ]


def test_a_short_job_finishes_in_the_worker_without_deferring(service, context, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    service.submit_answers = [job("queued")]
    service.job_answers = [job("running"), job("succeeded", result={"rows_loaded": 3})]
    assert make_load(wait_before_defer=5).execute(context) == {"rows_loaded": 3}
    assert service.polls == ["job_1", "job_1"]


def test_a_long_job_defers_after_the_brief_wait(service, context, monkeypatch):
    clock = iter(range(0, 1000))
    monkeypatch.setattr("time.monotonic", lambda: float(next(clock)))
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    service.submit_answers = [job("queued")]
    service.job_answers = [job("running")]
    with pytest.raises(TaskDeferred):
        make_load(wait_before_defer=3).execute(context)
    assert 1 <= len(service.polls) <= 3


def test_the_operators_wait_before_deferring_by_default():
    from dagwright_airflow.operators.base import WAIT_BEFORE_DEFER_SECONDS

    assert WAIT_BEFORE_DEFER_SECONDS == 10
    op = LoadOperator(task_id="l", warehouse="w", table="t", mode="append")
    assert op.wait_before_defer == 10


def test_a_replayed_succeeded_job_returns_at_once(service, context):
    service.submit_answers = [job("succeeded", result={"rows_loaded": 5})]
    assert make_load().execute(context) == {"rows_loaded": 5}


def test_execute_complete_returns_the_result(service, context):
    event = {"status": "succeeded", "job_id": "job_1", "job": job("succeeded", result={"n": 1})}
    assert make_load().execute_complete(context, event, retries={}) == {"n": 1}


def test_resume_execution_passes_event_and_kwargs(service, context):
    event = {"status": "succeeded", "job_id": "job_1", "job": job("succeeded", result=[1])}
    op = make_load()
    assert op.resume_execution("execute_complete", {"event": event, "retries": {}}, context) == [1]


def test_failed_job_is_retried_by_deferring_to_a_timer(service, context):
    event = {
        "status": "failed",
        "job_id": "job_1",
        "job": job("failed", error=problem_doc("Warehouse.SerializationConflict")),
    }
    with pytest.raises(TaskDeferred) as deferred:
        make_load().execute_complete(context, event, retries={})
    d = deferred.value
    assert d.method_name == "resume_after_delay"
    assert d.kwargs == {"retries": {"0": 1}}
    assert 28 < seconds_until(d.trigger) <= 30
    assert service.submits == []


def test_a_retry_delay_within_the_brief_wait_is_slept_in_the_worker(service, context, sleeps):
    event = {
        "status": "failed",
        "job_id": "job_1",
        "job": job("failed", error=problem_doc("Warehouse.Unavailable")),
    }
    service.submit_answers = [job("succeeded", result={"rows_loaded": 1})]
    policy = RetryPolicy(on=["Warehouse"], attempts=2, delay=4)
    op = make_load(retry_policies=[policy], wait_before_defer=10)
    assert op.execute_complete(context, event, retries={}) == {"rows_loaded": 1}
    assert sleeps == [4.0]
    assert len(service.submits) == 1


def test_retry_after_longer_than_the_delay_is_honoured(service, context):
    service.submit_answers = [problem("Redshift.UnavailableException", retry_after=300)]
    with pytest.raises(TaskDeferred) as deferred:
        make_load().execute(context)
    assert 298 < seconds_until(deferred.value.trigger) <= 300


def test_resume_after_delay_resubmits_with_the_same_key(service, context):
    service.submit_answers = [job("queued", job_id="job_2", attempt=2)]
    op = make_load()
    with pytest.raises(TaskDeferred) as deferred:
        op.resume_execution(
            "resume_after_delay",
            {"event": datetime.now(timezone.utc), "retries": {"0": 1}},
            context,
        )
    assert service.submits[0][2] == KEY
    assert deferred.value.trigger.job_id == "job_2"
    assert deferred.value.kwargs == {"retries": {"0": 1}, "try_number": 1}


def test_exhausted_retries_fail_fast(service, context):
    service.submit_answers = [problem("Warehouse.Unavailable")]
    with pytest.raises(AirflowFailException) as err:
        make_load().resume_after_delay(context, None, retries={"0": 2})
    assert "Warehouse.Unavailable" in str(err.value)
    assert "detail of Warehouse.Unavailable" in str(err.value)
    assert "exhausted" in str(err.value)


def test_unmatched_code_fails_fast(service, context):
    event = {
        "status": "failed",
        "job": job("failed", error=problem_doc("SchemaMismatch", 422, False)),
    }
    with pytest.raises(AirflowFailException) as err:
        make_load().execute_complete(context, event)
    assert "SchemaMismatch" in str(err.value) and "no retry policy" in str(err.value)


def test_empty_policy_list_fails_even_retryable_codes(service, context):
    service.submit_answers = [problem("Internal", 500)]
    with pytest.raises(AirflowFailException):
        make_load(retry_policies=[]).execute(context)


def test_an_unlisted_backpressure_code_is_waited_out_on_its_retry_after(service, context):
    # Service.Busy is the service's backpressure, not the data's fault: never failed at once.
    service.submit_answers = [problem("Service.Busy", 429, retry_after=30)]
    with pytest.raises(TaskDeferred) as deferred:
        make_load(retry_policies=[]).execute(context)
    assert deferred.value.method_name == "resume_after_delay"
    assert deferred.value.kwargs["retries"] == {"backpressure": 1}


def test_map_form_retryable_uses_airflow_retries(service, context):
    service.submit_answers = [problem("Service.Busy", 429)]
    with pytest.raises(AirflowException) as err:
        make_load(retry_policies=None).execute(context)
    assert not isinstance(err.value, AirflowFailException)
    assert "Service.Busy" in str(err.value)


def test_map_form_non_retryable_fails_fast(service, context):
    event = {"status": "failed", "job": job("failed", error=problem_doc("DataError", 422, False))}
    with pytest.raises(AirflowFailException):
        make_load(retry_policies=None).execute_complete(context, event)


def test_map_form_interrupted_job_uses_airflow_retries(service, context):
    error = {"code": "Job.Interrupted", "retryable": True, "detail": "process stopped"}
    event = {"status": "failed", "job": job("failed", error=error)}
    with pytest.raises(AirflowException) as err:
        make_load(retry_policies=None).execute_complete(context, event)
    assert not isinstance(err.value, AirflowFailException)


def test_trigger_error_event_goes_through_the_policy(service, context):
    policies = [RetryPolicy(on=["Transport"], attempts=1, delay=10)]
    event = {
        "status": "error",
        "job_id": "job_1",
        "problem": problem("Transport.Unavailable").to_dict(),
    }
    with pytest.raises(TaskDeferred) as deferred:
        make_load(retry_policies=policies).execute_complete(context, event, retries={})
    assert deferred.value.kwargs == {"retries": {"0": 1}}


def test_exponential_backoff_across_deferrals(service, context):
    policies = [RetryPolicy(on=["ALL"], attempts=5, delay=10, backoff="exponential", max_delay=35)]
    service.submit_answers = [problem("Internal", 500)]
    op = make_load(retry_policies=policies)
    seen = []
    retries: dict = {}
    for _ in range(4):
        with pytest.raises(TaskDeferred) as deferred:
            op.resume_after_delay(context, None, retries=retries)
        retries = deferred.value.kwargs["retries"]
        seen.append(round(seconds_until(deferred.value.trigger)))
    assert seen == [10, 20, 35, 35]
    assert retries == {"0": 4}


def test_zero_delay_retries_in_process(service, context):
    policies = [RetryPolicy(on=["Service.Busy"], attempts=1, delay=0)]
    service.submit_answers = [problem("Service.Busy", 429), job("succeeded", result="ok")]
    assert make_load(retry_policies=policies).execute(context) == "ok"
    assert len(service.submits) == 2


@pytest.mark.parametrize(
    "event",
    [
        None,
        "succeeded",
        {"status": "weird"},
        {"status": "succeeded"},
        {"status": "succeeded", "job": job("failed")},
    ],
)
def test_invalid_events_are_rejected(service, context, event):
    with pytest.raises(AirflowException):
        make_load().execute_complete(context, event)


def test_not_deferrable_waits_in_the_worker(service, context, sleeps):
    service.submit_answers = [problem("Warehouse.Unavailable", retry_after=45), job("queued")]
    service.job_answers = [
        job("running"),
        problem("Transport.Unavailable"),
        job("succeeded", result=9),
    ]
    assert make_load(deferrable=False, poll_interval=3).execute(context) == 9
    assert sleeps == [45, 3, 3, 3]
    assert [s[2] for s in service.submits] == [KEY, KEY]


def test_not_deferrable_failed_job_retries_then_fails(service, context, sleeps):
    service.submit_answers = [job("queued")]
    service.job_answers = [job("failed", error=problem_doc("Warehouse.Unavailable"))]
    with pytest.raises(AirflowFailException):
        make_load(deferrable=False, poll_interval=1).execute(context)
    assert len(service.submits) == 3  # first try + 2 retries
    assert sleeps == [1, 30, 1, 30, 1]


def test_a_retry_resumed_with_the_deferral_of_an_earlier_try_starts_afresh(service, context):
    # Airflow 3.0 can start a retry with the failed try's next_method and event still set.
    service.submit_answers = [job("queued")]
    with pytest.raises(TaskDeferred) as deferred:
        make_load().execute(context)
    assert deferred.value.kwargs["try_number"] == 1
    stale = {
        "status": "failed",
        "job_id": "job_1",
        "job": job("failed", error=problem_doc("Job.Interrupted")),
    }
    context["ti"].try_number = 2
    service.submit_answers = [job("succeeded", result={"rows_loaded": 2})]
    op = make_load()
    kwargs = {**deferred.value.kwargs, "event": stale}
    assert op.resume_execution("execute_complete", kwargs, context) == {"rows_loaded": 2}
    assert len(service.submits) == 2  # posted again in the new try


def test_a_resume_in_the_same_try_reads_its_event(service, context):
    service.submit_answers = [job("queued")]
    with pytest.raises(TaskDeferred) as deferred:
        make_load().execute(context)
    event = {"status": "succeeded", "job_id": "job_1", "job": job("succeeded", result={"n": 1})}
    kwargs = {**deferred.value.kwargs, "event": event}
    assert make_load().resume_execution("execute_complete", kwargs, context) == {"n": 1}
    assert len(service.submits) == 1
