"""Triggers: serialize() round trips, and what run() yields."""

from __future__ import annotations

import asyncio
import importlib

import pytest

from dagwright_airflow.triggers.job import JobCompletionTrigger
from dagwright_airflow.triggers.warehouse import WarehouseAvailabilityTrigger
from tests.fakes import job, problem

TRIGGERS = [
    JobCompletionTrigger(conn_id="dagwright_loader", job_id="job_1"),
    JobCompletionTrigger(conn_id="c", job_id="j", poll_interval=2.5, max_poll_errors=7),
    WarehouseAvailabilityTrigger(conn_id="dagwright_loader", warehouse="analytics"),
    WarehouseAvailabilityTrigger(conn_id="c", warehouse="w", poll_interval=30, first_poll_after=90),
]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: type(t).__name__)
def test_serialize_round_trip(trigger):
    classpath, kwargs = trigger.serialize()
    module_name, _, class_name = classpath.rpartition(".")
    cls = getattr(importlib.import_module(module_name), class_name)
    assert cls is type(trigger)
    rebuilt = cls(**kwargs)
    assert rebuilt.serialize() == (classpath, kwargs)


@pytest.fixture
def waits(monkeypatch):
    """Record asyncio.sleep durations and do not wait."""
    calls: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds, *args, **kwargs):
        calls.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    return calls


def first_event(trigger):
    async def run():
        async for event in trigger.run():
            return event.payload
        return None

    return asyncio.run(run())


def test_job_trigger_polls_until_final(service, waits):
    service.job_answers = [job("queued"), job("running"), job("succeeded", result={"rows": 3})]
    payload = first_event(JobCompletionTrigger("dagwright_loader", "job_1", poll_interval=4))
    assert payload["status"] == "succeeded"
    assert payload["job"]["result"] == {"rows": 3}
    assert service.polls == ["job_1"] * 3
    assert waits == [4, 4]
    assert service.closed == 1


def test_job_trigger_reports_a_failed_job(service, waits):
    service.job_answers = [job("failed", error={"code": "DataError", "retryable": False})]
    payload = first_event(JobCompletionTrigger("dagwright_loader", "job_1"))
    assert payload["status"] == "failed"
    assert payload["job"]["error"]["code"] == "DataError"


def test_job_trigger_rides_out_transient_poll_errors(service, waits):
    service.job_answers = [
        problem("Transport.Unavailable"),
        problem("Service.Busy", 429, retry_after=12),
        job("succeeded", result={}),
    ]
    payload = first_event(JobCompletionTrigger("dagwright_loader", "job_1", poll_interval=5))
    assert payload["status"] == "succeeded"
    assert waits == [5, 12]


def test_job_trigger_gives_up_after_max_poll_errors(service, waits):
    service.job_answers = [problem("Transport.Unavailable")]
    payload = first_event(JobCompletionTrigger("dagwright_loader", "job_1", max_poll_errors=2))
    assert payload["status"] == "error"
    assert payload["problem"]["code"] == "Transport.Unavailable"
    assert len(service.polls) == 3


def test_job_trigger_stops_at_a_non_retryable_problem(service, waits):
    service.job_answers = [problem("Resource.NotFound", 404, retryable=False)]
    payload = first_event(JobCompletionTrigger("dagwright_loader", "job_9"))
    assert (payload["status"], payload["job_id"]) == ("error", "job_9")
    assert payload["problem"]["code"] == "Resource.NotFound"
    assert waits == []


def test_warehouse_trigger_waits_for_retry_after(service, waits):
    service.get_answers = [
        problem("Redshift.UnavailableException", retry_after=120),
        problem("Warehouse.Unavailable", retry_after=None),
        {"status": "available"},
    ]
    trigger = WarehouseAvailabilityTrigger("dagwright_loader", "analytics", poll_interval=60)
    payload = first_event(trigger)
    assert payload == {"status": "available", "warehouse": "analytics"}
    assert waits == [120, 60]
    assert service.closed == 1
    assert service.requests[0][1] == "/v1/warehouses/analytics/availability"


def test_warehouse_trigger_first_poll_after(service, waits):
    service.get_answers = [{"status": "available"}]
    first_event(WarehouseAvailabilityTrigger("c", "w", poll_interval=10, first_poll_after=30))
    assert waits == [30]


def test_warehouse_trigger_fails_on_a_non_retryable_problem(service, waits):
    service.get_answers = [problem("Resource.NotFound", 404, retryable=False)]
    payload = first_event(WarehouseAvailabilityTrigger("c", "nope"))
    assert payload["status"] == "error"
    assert payload["problem"]["code"] == "Resource.NotFound"
