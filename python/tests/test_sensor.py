"""WarehouseAvailableSensor: pokes, Retry-After, deferral and its event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dagwright_airflow._compat import AirflowException, AirflowFailException, TaskDeferred
from dagwright_airflow.sensors.warehouse import WarehouseAvailableSensor
from dagwright_airflow.triggers.warehouse import WarehouseAvailabilityTrigger
from tests.fakes import problem


def make_sensor(**kwargs):
    return WarehouseAvailableSensor(task_id="wait", warehouse="analytics", **kwargs)


def test_poke_available(service, context):
    service.get_answers = [{"status": "available"}]
    assert make_sensor().poke(context) is True
    assert service.requests == [("GET", "/v1/warehouses/analytics/availability", None, None)]


def test_poke_unavailable_remembers_retry_after(service, context):
    service.get_answers = [problem("Redshift.UnavailableException", retry_after=240)]
    sensor = make_sensor(poke_interval=60)
    assert sensor.poke(context) is False
    assert sensor._get_next_poke_interval(0.0, lambda: 1.0, 1) == 240


def test_short_retry_after_keeps_the_poke_interval(service, context):
    service.get_answers = [problem("Warehouse.Unavailable", retry_after=5)]
    sensor = make_sensor(poke_interval=60)
    assert sensor.poke(context) is False
    assert sensor._get_next_poke_interval(0.0, lambda: 1.0, 1) == 60


def test_transport_failure_is_not_yet(service, context):
    service.get_answers = [problem("Transport.Unavailable")]
    assert make_sensor().poke(context) is False


def test_non_retryable_problem_fails(service, context):
    service.get_answers = [problem("Resource.NotFound", 404, retryable=False)]
    with pytest.raises(AirflowFailException) as err:
        make_sensor().poke(context)
    assert "Resource.NotFound" in str(err.value)


def test_poke_mode_sleeps_for_retry_after(service, context, sleeps):
    service.get_answers = [
        problem("Warehouse.Unavailable", retry_after=90),
        {"status": "available"},
    ]
    make_sensor(deferrable=False, poke_interval=30).execute(context)
    assert sleeps == [90]


def test_deferrable_defers_with_the_trigger(service, context):
    service.get_answers = [problem("Warehouse.Unavailable", retry_after=90)]
    sensor = make_sensor(poke_interval=30, timeout=3600, conn_id="loader2")
    with pytest.raises(TaskDeferred) as deferred:
        sensor.execute(context)
    d = deferred.value
    assert isinstance(d.trigger, WarehouseAvailabilityTrigger)
    assert d.trigger.serialize()[1] == {
        "conn_id": "loader2",
        "warehouse": "analytics",
        "poll_interval": 30,
        "first_poll_after": 90,
    }
    assert d.method_name == "execute_complete"
    assert d.timeout == timedelta(seconds=3600)


def test_deferrable_returns_when_already_available(service, context):
    service.get_answers = [{"status": "available"}]
    assert make_sensor().execute(context) is None


def test_execute_complete(context):
    assert make_sensor().execute_complete(context, {"status": "available"}) is None
    error = {"status": "error", "problem": problem("Auth.Unauthorized", 401, False).to_dict()}
    with pytest.raises(AirflowFailException) as err:
        make_sensor().execute_complete(context, error)
    assert "Auth.Unauthorized" in str(err.value)
    with pytest.raises(AirflowException):
        make_sensor().execute_complete(context, {"status": "maybe"})


def test_timedelta_intervals(service, context):
    service.get_answers = [problem("Warehouse.Unavailable", retry_after=None)]
    sensor = make_sensor(poke_interval=timedelta(minutes=2), timeout=timedelta(hours=1))
    with pytest.raises(TaskDeferred) as deferred:
        sensor.execute(context)
    assert deferred.value.trigger.poll_interval == 120
    assert deferred.value.trigger.first_poll_after == 120
    assert deferred.value.timeout == timedelta(hours=1)
