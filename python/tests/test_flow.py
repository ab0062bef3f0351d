"""Whole task lives against a local service: operator -> trigger -> operator, real hook."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from dagwright_airflow._compat import TaskDeferred
from dagwright_airflow.operators.load import LoadOperator
from dagwright_airflow.retry import RetryPolicy
from tests.fakes import RUN_ID, job, make_context, problem_doc
from tests.httpserver import JSON, PROBLEM, ScriptedServer


@pytest.fixture
def server(service_conn, monkeypatch):
    real_sleep = asyncio.sleep

    async def no_wait(seconds, *args, **kwargs):
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", no_wait)
    with ScriptedServer() as srv:
        service_conn(srv.url)
        yield srv


def run_trigger(trigger):
    async def first():
        async for event in trigger.run():
            return event.payload

    return asyncio.run(first())


def drive(op, context, timer_events=0):
    """Run a task the way Airflow does: execute, then resume after each deferral."""
    method, kwargs = "execute", None
    timers = 0
    while True:
        try:
            if method == "execute":
                return op.execute(context)
            return op.resume_execution(method, kwargs, context)
        except TaskDeferred as deferred:
            if deferred.method_name == "resume_after_delay":
                timers += 1
                assert timers <= timer_events, "unexpected timer deferral"
                event = datetime.now(timezone.utc)  # the timer fired
            else:
                event = run_trigger(deferred.trigger)
            method, kwargs = deferred.method_name, {**(deferred.kwargs or {}), "event": event}


def make_load():
    policies = [RetryPolicy(on=["Warehouse"], attempts=2, delay=30)]
    return LoadOperator(
        task_id="load",
        warehouse="analytics",
        table="orders",
        mode="append",
        input_task_id="begin",
        retry_policies=policies,
    )


def context_with_batch():
    context = make_context(task_id="load")
    context["ti"].xcoms[("begin", "return_value")] = {"objects": [{"key": "k"}]}
    return context


def test_unavailable_then_loaded(server):
    server.route(
        "POST",
        "/v1/loads",
        (503, {**PROBLEM, "Retry-After": "5"}, problem_doc("Warehouse.Unavailable")),
        (202, JSON, job("queued", job_id="job_7", attempt=1)),
    )
    server.route(
        "GET",
        "/v1/jobs/job_7",
        (200, JSON, job("running", job_id="job_7")),
        (200, JSON, job("succeeded", job_id="job_7", result={"rows_loaded": 42})),
    )
    assert drive(make_load(), context_with_batch(), timer_events=1) == {"rows_loaded": 42}
    posts = [s for s in server.seen if s.method == "POST"]
    assert len(posts) == 2
    assert {p.headers["Idempotency-Key"] for p in posts} == {f"orders/load/{RUN_ID}/-1"}
    assert posts[0].body == posts[1].body


def test_failed_job_resubmitted_then_succeeds(server):
    server.route(
        "POST",
        "/v1/loads",
        (202, JSON, job("queued", job_id="job_1")),
        (202, JSON, job("queued", job_id="job_2", attempt=2)),
    )
    server.route(
        "GET",
        "/v1/jobs/job_1",
        (
            200,
            JSON,
            job("failed", job_id="job_1", error=problem_doc("Warehouse.SerializationConflict")),
        ),
    )
    server.route(
        "GET", "/v1/jobs/job_2", (200, JSON, job("succeeded", job_id="job_2", result={"ok": 1}))
    )
    assert drive(make_load(), context_with_batch(), timer_events=1) == {"ok": 1}


def test_non_retryable_job_failure_fails_the_task(server):
    from dagwright_airflow._compat import AirflowFailException

    server.route("POST", "/v1/loads", (202, JSON, job("queued")))
    server.route(
        "GET",
        "/v1/jobs/job_1",
        (200, JSON, job("failed", error=problem_doc("TableNotFound", 422, False))),
    )
    with pytest.raises(AirflowFailException) as err:
        drive(make_load(), context_with_batch())
    assert "TableNotFound" in str(err.value)
