"""Which batch a dq or load task reads from its upstream task."""

from __future__ import annotations

import pytest

from dagwright_airflow._compat import AirflowFailException, AirflowSkipException
from dagwright_airflow.operators._xcom import pull_batch
from tests.fakes import make_context

OBJECTS = [{"key": "orders/dt=2026-11-26/a.parquet", "size": 10}]


@pytest.mark.parametrize(
    ("upstream", "want"),
    [
        (
            {"run_id": "r", "source": "s3://raw/orders/", "batch": {"objects": OBJECTS}},
            {"source": "s3://raw/orders/", "objects": OBJECTS},
        ),
        (
            {"batch": {"source": "s3://b/", "objects": OBJECTS}},
            {"source": "s3://b/", "objects": OBJECTS},
        ),
        ({"objects": OBJECTS}, {"objects": OBJECTS}),
    ],
)
def test_the_batch_of_an_upstream_result(upstream, want) -> None:
    context = make_context(xcoms={("begin", "return_value"): upstream})
    assert pull_batch(context, "begin") == want


def test_an_empty_batch_skips_the_task() -> None:
    context = make_context(
        xcoms={("begin", "return_value"): {"source": "s3://b/", "batch": {"objects": []}}}
    )
    with pytest.raises(AirflowSkipException):
        pull_batch(context, "begin")


def test_no_batch_at_all_fails() -> None:
    context = make_context(xcoms={("begin", "return_value"): "not a batch"})
    with pytest.raises(AirflowFailException):
        pull_batch(context, "begin")
