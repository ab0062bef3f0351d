"""Shared test setup: a throwaway AIRFLOW_HOME (unless the runner gave one) and fixtures."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="dagwright-airflow-home-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")

import pytest

from tests.fakes import TOKEN, FakeService, make_context


@pytest.fixture
def context():
    return make_context()


@pytest.fixture
def service(monkeypatch):
    """Replace the hook's network methods with a scripted fake service.

    The scripts answer call by call, so a job operator defers at once here
    (``wait_before_defer`` 0); test_job_operator.py tests the brief wait itself.
    """
    from dagwright_airflow.operators import base

    monkeypatch.setattr(base, "WAIT_BEFORE_DEFER_SECONDS", 0.0)
    fake = FakeService()
    fake.install(monkeypatch)
    return fake


@pytest.fixture
def sleeps(monkeypatch):
    """Record time.sleep calls instead of sleeping."""
    import time

    calls: list[float] = []
    monkeypatch.setattr(time, "sleep", lambda seconds: calls.append(seconds))
    return calls


@pytest.fixture
def service_conn(monkeypatch):
    """Point every dagwright connection at ``url`` (with the test token) via env vars."""

    def point(url: str, conn_ids=("dagwright_loader", "dagwright_dq", "dagwright_bookmarks")):
        scheme, rest = url.split("://", 1)
        for conn_id in conn_ids:
            monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", f"{scheme}://:{TOKEN}@{rest}")

    return point
