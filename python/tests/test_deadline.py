"""A task's timeout is a deadline across its deferrals, and a sensor's timeout is final.

Airflow 3.x does not enforce ``execution_timeout`` while a task is deferred (only the
``timeout`` given to ``defer``), and 2.x retries a sensor whose deferral timed out.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from dagwright_airflow._compat import (
    AIRFLOW_V3,
    AirflowSensorTimeout,
    AirflowTaskTimeout,
    TaskDeferred,
)
from dagwright_airflow.operators.http import HttpCallOperator
from dagwright_airflow.operators.load import LoadOperator
from dagwright_airflow.retry import RetryPolicy
from dagwright_airflow.sensors.warehouse import WarehouseAvailableSensor
from tests.fakes import job, problem, problem_doc

# What each version's scheduler puts in next_kwargs when a deferral's timeout passes.
TIMEOUT_ERROR = "Trigger timeout" if AIRFLOW_V3 else "Trigger/execution timeout"


def make_load(**kwargs):
    kwargs.setdefault("retry_policies", [RetryPolicy(on=["Warehouse"], attempts=5, delay=600)])
    return LoadOperator(
        task_id="load_orders", warehouse="analytics", table="orders", mode="append", **kwargs
    )


def test_the_first_deferral_carries_a_deadline_from_execution_timeout(service, context):
    service.submit_answers = [job("queued")]
    before = time.time()
    with pytest.raises(TaskDeferred) as deferred:
        make_load(execution_timeout=timedelta(hours=1)).execute(context)
    d = deferred.value
    assert before + 3600 <= d.kwargs["deadline"] <= time.time() + 3600
    assert timedelta(seconds=3590) < d.timeout <= timedelta(hours=1)


def test_a_resumed_try_defers_only_until_the_same_deadline(service, context):
    service.submit_answers = [job("queued", job_id="job_2")]
    deadline = time.time() + 120
    with pytest.raises(TaskDeferred) as deferred:
        make_load(execution_timeout=timedelta(hours=1)).resume_execution(
            "resume_after_delay", {"retries": {"0": 1}, "deadline": deadline}, context
        )
    d = deferred.value
    assert d.kwargs == {"retries": {"0": 1}, "deadline": deadline, "try_number": 1}
    assert timedelta(seconds=110) < d.timeout <= timedelta(seconds=120)


def test_a_retry_delay_past_the_deadline_fails_as_a_timeout(service, context):
    failed = job("failed", error=problem_doc("Warehouse.Unavailable"))
    event = {"status": "failed", "job_id": "job_1", "job": failed}
    with pytest.raises(AirflowTaskTimeout) as err:
        make_load(execution_timeout=timedelta(hours=1)).execute_complete(
            context, event, retries={}, deadline=time.time() + 60
        )
    assert "timeout" in str(err.value)
    assert service.submits == []


def test_a_passed_deadline_fails_before_another_call(service, context):
    with pytest.raises(AirflowTaskTimeout):
        make_load(execution_timeout=timedelta(hours=1)).resume_after_delay(
            context, None, retries={"0": 1}, deadline=time.time() - 1
        )
    assert service.submits == []


def test_the_deferral_timeout_fails_as_a_task_timeout(context):
    op = make_load(execution_timeout=timedelta(hours=1))
    with pytest.raises(AirflowTaskTimeout) as err:
        op.resume_execution("__fail__", {"error": TIMEOUT_ERROR}, context)
    assert "1:00:00" in str(err.value)


def test_without_execution_timeout_nothing_changes(service, context):
    service.submit_answers = [job("queued")]
    with pytest.raises(TaskDeferred) as deferred:
        make_load().execute(context)
    assert deferred.value.kwargs == {"retries": {}, "try_number": 1}
    assert deferred.value.timeout is None


def test_http_retry_timer_carries_the_deadline(service, context):
    service.get_answers = [problem("HTTP.503", retry_after=300)]
    op = HttpCallOperator(
        task_id="call",
        conn_id="api",
        endpoint="/x",
        retry_policies=[RetryPolicy(on=["HTTP.503"], attempts=2, delay=30)],
        execution_timeout=timedelta(minutes=30),
    )
    with pytest.raises(TaskDeferred) as deferred:
        op.execute(context)
    d = deferred.value
    assert d.method_name == "resume_after_delay"
    assert "deadline" in d.kwargs
    assert timedelta(minutes=29) < d.timeout <= timedelta(minutes=30)


def test_a_sensor_deferral_timeout_is_final_on_every_version(context):
    sensor = WarehouseAvailableSensor(task_id="up", warehouse="analytics", timeout=60)
    with pytest.raises(AirflowSensorTimeout):
        sensor.resume_execution("__fail__", {"error": TIMEOUT_ERROR}, context)
