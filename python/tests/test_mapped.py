"""Mapped service operators (for_each): the item in the templates, the batch of their own
map index, empty batches, and a load that reads an S3 source directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dagwright_airflow._compat import AirflowFailException, AirflowSkipException
from dagwright_airflow.hooks import s3_source
from dagwright_airflow.operators.bookmark import BookmarkBeginOperator, BookmarkCommitOperator
from dagwright_airflow.operators.dq import DataQualityOperator
from dagwright_airflow.operators.load import LoadOperator
from tests.fakes import RUN_ID, make_context
from tests.test_operators import submitted

US = {"source": "s3://sales/us/", "batch": {"objects": [{"key": "us/a.csv"}]}}
EU = {"source": "s3://sales/eu/", "batch": {"objects": [{"key": "eu/b.csv"}]}}
EMPTY = {"source": "s3://sales/apac/", "batch": {"objects": []}}


def mapped_context(map_index: int, **upstream: dict) -> dict:
    context = make_context(map_index=map_index)
    for task_id, copies in upstream.items():
        for index, value in enumerate(copies):
            context["ti"].mapped_xcoms[(task_id, index)] = value
    context["ds"] = "2026-11-26"
    return context


@pytest.mark.parametrize(
    "op,field,want",
    [
        (
            BookmarkBeginOperator(
                task_id="b",
                bookmark="p.pick.{{ item }}",
                source="s3://sales/{{ item }}/",
                item="eu",
            ),
            ("bookmark", "source"),
            ("p.pick.eu", "s3://sales/eu/"),
        ),
        (
            BookmarkCommitOperator(task_id="c", bookmark="p.pick.{{ item }}", item=3),
            ("bookmark",),
            ("p.pick.3",),
        ),
        (
            DataQualityOperator(
                task_id="d",
                ruleset='Rules = [ ColumnValues "region" = "{{ item }}" ]',
                on_violation="fail",
                dataset="s3://sales/{{ item }}/dt={{ ds }}/",
                item="us",
            ),
            ("ruleset", "dataset"),
            ('Rules = [ ColumnValues "region" = "us" ]', "s3://sales/us/dt=2026-11-26/"),
        ),
        (
            LoadOperator(
                task_id="l",
                warehouse="w",
                table="t",
                mode="append",
                source="s3://sales/{{ item }}/dt={{ ds }}/",
                item="apac",
            ),
            ("source",),
            ("s3://sales/apac/dt=2026-11-26/",),
        ),
    ],
    ids=["bookmark begin", "bookmark commit", "dq_check", "load"],
)
def test_the_item_renders_in_the_templated_fields(op, field, want):
    op.render_template_fields({"ds": "2026-11-26"})
    assert tuple(getattr(op, f) for f in field) == want


@pytest.mark.parametrize("item", [True, {"region": "us"}, ["us"]], ids=["bool", "dict", "list"])
def test_an_item_that_is_not_text_fails_the_task(item):
    op = LoadOperator(
        task_id="l",
        warehouse="w",
        table="t",
        mode="append",
        source="s3://b/{{ item }}/x.csv",
        item=item,
    )
    with pytest.raises(AirflowFailException, match="string or a number"):
        op.render_template_fields({})


def test_a_mapped_copy_loads_the_batch_of_its_own_map_index(service):
    context = mapped_context(1, check=[US, EU])
    op = LoadOperator(
        task_id="load",
        warehouse="w",
        table="t",
        mode="append",
        input_task_id="check",
        input_mapped=True,
        item="eu",
    )
    _, body, key = submitted(service, op, context)
    assert body["batch"] == {"source": "s3://sales/eu/", "objects": [{"key": "eu/b.csv"}]}
    assert context["ti"].pulls[-1]["map_indexes"] == 1
    assert key == f"orders/load_orders/{RUN_ID}/1"


def test_an_unmapped_upstream_is_read_at_map_index_minus_one(service):
    # Airflow 2.x would otherwise pull every copy of a mapped upstream; 3.x the caller's own.
    context = make_context(map_index=2)
    context["ti"].xcoms[("pick", "return_value")] = US
    op = LoadOperator(
        task_id="load", warehouse="w", table="t", mode="append", input_task_id="pick", item="x"
    )
    _, body, _ = submitted(service, op, context)
    assert body["batch"]["objects"] == [{"key": "us/a.csv"}]
    assert context["ti"].pulls[-1]["map_indexes"] == -1


def test_a_mapped_copy_with_an_empty_batch_succeeds_without_calling_the_service(service):
    context = mapped_context(2, pick=[US, EU, EMPTY])
    dq = DataQualityOperator(
        task_id="check",
        ruleset="Rules = [ RowCount > 0 ]",
        on_violation="fail",
        input_task_id="pick",
        input_mapped=True,
        item="apac",
    )
    handed_on = dq.execute(context)
    assert handed_on == {"batch": {"source": "s3://sales/apac/", "objects": []}}
    context = mapped_context(2, check=[US, EU, handed_on])
    load = LoadOperator(
        task_id="load",
        warehouse="w",
        table="t",
        mode="append",
        input_task_id="check",
        input_mapped=True,
        item="apac",
    )
    assert load.execute(context) == handed_on
    assert service.submits == []


def test_an_unmapped_task_still_skips_an_empty_batch(service):
    context = make_context()
    context["ti"].xcoms[("pick", "return_value")] = EMPTY
    op = LoadOperator(task_id="load", warehouse="w", table="t", mode="append", input_task_id="pick")
    with pytest.raises(AirflowSkipException):
        op.execute(context)


def test_a_mapped_upstream_copy_without_a_batch_fails(service):
    op = LoadOperator(
        task_id="load",
        warehouse="w",
        table="t",
        mode="append",
        input_task_id="check",
        input_mapped=True,
        item="eu",
    )
    with pytest.raises(AirflowFailException, match="map index 1"):
        op.execute(mapped_context(1, check=[US]))


def test_a_load_of_one_object_sends_it_without_listing(service):
    op = LoadOperator(
        task_id="load",
        warehouse="w",
        table="t",
        mode="append",
        source="s3://sales/us/dt=2026-11-26/part-0.csv",
    )
    _, body, _ = submitted(service, op, make_context())
    assert body["batch"] == {
        "source": "s3://sales/us/dt=2026-11-26/part-0.csv",
        "objects": [{"key": "us/dt=2026-11-26/part-0.csv"}],
    }


class FakePaginator:
    def __init__(self, pages):
        self.pages = pages
        self.calls = []

    def paginate(self, **kwargs):
        self.calls.append(kwargs)
        return iter(self.pages)


def fake_s3(monkeypatch, pages):
    paginator = FakePaginator(pages)

    class Client:
        def get_paginator(self, name):
            assert name == "list_objects_v2"
            return paginator

    class Hook:
        def __init__(self, aws_conn_id):
            self.aws_conn_id = aws_conn_id

        def get_conn(self):
            return Client()

    import airflow.providers.amazon.aws.hooks.s3 as s3

    monkeypatch.setattr(s3, "S3Hook", Hook)
    return paginator


def test_a_load_of_a_prefix_lists_its_data_objects_in_key_order(service, monkeypatch):
    paginator = fake_s3(
        monkeypatch,
        [
            {
                "Contents": [
                    {"Key": "us/dt=1/b.csv", "Size": 2, "ETag": '"e2"'},
                    {"Key": "us/dt=1/_SUCCESS", "Size": 0, "ETag": '"x"'},
                ]
            },
            {
                "Contents": [
                    {"Key": "us/dt=1/a.csv", "Size": 1, "ETag": '"e1"'},
                    {"Key": "us/dt=1/.tmp", "Size": 1},
                    {"Key": "us/dt=1/", "Size": 0},
                ]
            },
        ],
    )
    op = LoadOperator(
        task_id="load",
        warehouse="w",
        table="t",
        mode="append",
        source="s3://sales/us/dt=1/",
        aws_conn_id="lake",
    )
    _, body, _ = submitted(service, op, make_context())
    assert paginator.calls == [{"Bucket": "sales", "Prefix": "us/dt=1/"}]
    assert body["batch"] == {
        "source": "s3://sales/us/dt=1/",
        "objects": [
            {"key": "us/dt=1/a.csv", "size": 1, "etag": "e1"},
            {"key": "us/dt=1/b.csv", "size": 2, "etag": "e2"},
        ],
    }


def test_a_load_of_an_empty_prefix_fails(service, monkeypatch):
    fake_s3(monkeypatch, [{"Contents": [{"Key": "us/_SUCCESS", "Size": 0}]}, {}])
    op = LoadOperator(
        task_id="load", warehouse="w", table="t", mode="append", source="s3://sales/us/"
    )
    with pytest.raises(AirflowFailException, match="no data objects"):
        op.execute(make_context())


@pytest.mark.parametrize("uri", ["sales/us/", "s3:///us/", "https://sales/us/"])
def test_a_source_must_be_an_s3_uri(uri):
    with pytest.raises(AirflowFailException, match="s3://"):
        s3_source.list_source(uri, "aws_default")


def test_source_and_input_exclude_each_other():
    with pytest.raises(ValueError):
        LoadOperator(
            task_id="l",
            warehouse="w",
            table="t",
            mode="append",
            source="s3://b/k.csv",
            input_task_id="up",
        )


DATA_KEYS = json.loads(
    (Path(__file__).resolve().parents[2] / "test" / "fixtures" / "data-keys.json").read_text()
)["cases"]


@pytest.mark.parametrize(("key", "want"), DATA_KEYS)
def test_a_source_keeps_the_data_keys_the_services_keep(key, want):
    """The same cases as services/kit/s3/data-keys.test.ts: one rule on both sides."""
    assert s3_source.is_data_key(key) is want


def test_a_source_at_a_bucket_root_leaves_out_dagwrights_own_and_sparks_leftovers(
    service, monkeypatch
):
    fake_s3(
        monkeypatch,
        [
            {
                "Contents": [
                    {"Key": "dt=1/part-0.csv", "Size": 1, "ETag": '"e1"'},
                    {"Key": "_dagwright/batches/bookmark=p.b/run=r/0.jsonl", "Size": 1},
                    {"Key": "_dagwright/dq/passed/pipeline=p/part-0.parquet", "Size": 1},
                    {"Key": "_temporary/0/part-9.csv", "Size": 1},
                    {"Key": "dt=1/part-1.csv._COPYING_", "Size": 1},
                ]
            }
        ],
    )
    batch = s3_source.list_source("s3://lake/", "aws_default")
    assert [o["key"] for o in batch["objects"]] == ["dt=1/part-0.csv"]


def test_a_source_too_large_to_send_inline_fails_with_the_way_out(service, monkeypatch):
    contents = [
        {"Key": f"dt=1/part-{i:05}.csv", "Size": 1} for i in range(s3_source.MAX_OBJECTS + 1)
    ]
    fake_s3(monkeypatch, [{"Contents": contents}])
    with pytest.raises(AirflowFailException, match="through a bookmark"):
        s3_source.list_source("s3://lake/dt=1/", "aws_default")
