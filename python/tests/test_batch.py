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


MANIFEST = {
    "manifest": "s3://raw/_dagwright/batches/bookmark=orders/run=r/"
    "0f343b0931126a20f133d67c2b018a3b5e8e2bb4d7b1c0c3f8f7a5f6b2f3e4d1.jsonl",
    "count": 100_000,
    "total_bytes": 1_700_000,
}


def test_a_large_batch_is_passed_on_as_its_manifest_reference() -> None:
    """Issue 10: the reference crosses XCom and the request body, never the object list."""
    run = {"run_id": "r", "source": "s3://raw/orders/", "batch": MANIFEST, "groups": []}
    context = make_context(xcoms={("begin", "return_value"): run})
    batch = pull_batch(context, "begin")
    assert batch == {"source": "s3://raw/orders/", **MANIFEST}
    assert "objects" not in batch


def test_a_manifest_reference_returned_bare_is_taken_as_it_is() -> None:
    ref = {"source": "s3://raw/orders/", **MANIFEST}
    context = make_context(xcoms={("check", "return_value"): ref})
    assert pull_batch(context, "check") == ref


def test_a_manifest_of_no_objects_skips_the_task() -> None:
    context = make_context(xcoms={("begin", "return_value"): {"batch": {**MANIFEST, "count": 0}}})
    with pytest.raises(AirflowSkipException):
        pull_batch(context, "begin")
