"""Each service operator: the request it makes, its XCom, and its template fields."""

from __future__ import annotations

import pytest

from dagwright_airflow._compat import AirflowFailException, TaskDeferred
from dagwright_airflow.operators.base import MAX_KEY_LENGTH, idempotency_key
from dagwright_airflow.operators.bookmark import BookmarkBeginOperator, BookmarkCommitOperator
from dagwright_airflow.operators.dq import DataQualityOperator
from dagwright_airflow.operators.http import HttpCallOperator
from dagwright_airflow.operators.load import LoadOperator
from dagwright_airflow.sensors.warehouse import WarehouseAvailableSensor
from tests.fakes import RUN_ID, job, make_context, problem_doc

BATCH = {"objects": [{"key": "raw/orders/a.csv", "etag": "e", "size": 1}], "total_bytes": 1}
SOURCE = "s3://lake/raw/orders/"
RUN = {"run_id": RUN_ID, "bookmark": "orders", "source": SOURCE, "batch": BATCH, "groups": []}
ENC_RUN_ID = "scheduled__2026-11-26T10%3A00%3A00%2B00%3A00"


def submitted(service, op, context):
    service.submit_answers = [job("queued")]
    with pytest.raises(TaskDeferred):
        op.execute(context)
    path, body, key = service.submits[-1]
    return path, body, key


def test_bookmark_begin(service):
    op = BookmarkBeginOperator(
        task_id="begin",
        bookmark="orders raw",
        source="s3://bucket/orders/",
        partitioning="dt",
        options={"max_objects": 100},
    )
    context = make_context(task_id="begin")
    path, body, key = submitted(service, op, context)
    assert path == "/v1/bookmarks/orders%20raw/runs"
    assert body == {
        "run_id": RUN_ID,
        "source": "s3://bucket/orders/",
        "partitioning": "dt",
        "max_objects": 100,
    }
    assert key == f"orders/begin/{RUN_ID}/-1"
    assert op.conn_id == "dagwright_bookmarks"


def test_bookmark_begin_result_is_the_run(service):
    op = BookmarkBeginOperator(task_id="begin", bookmark="b", source="s3://b/p/")
    event = {"status": "succeeded", "job": job("succeeded", result=RUN)}
    assert op.execute_complete(make_context(task_id="begin"), event, retries={}) == RUN


def test_bookmark_begin_omits_missing_partitioning(service):
    op = BookmarkBeginOperator(task_id="begin", bookmark="b", source="s3://b/p/")
    _, body, _ = submitted(service, op, make_context())
    assert body == {"run_id": RUN_ID, "source": "s3://b/p/"}


def test_bookmark_commit(service):
    op = BookmarkCommitOperator(task_id="commit", bookmark="orders")
    path, body, key = submitted(service, op, make_context(task_id="commit"))
    assert path == f"/v1/bookmarks/orders/runs/{ENC_RUN_ID}/commit"
    assert body == {}
    assert key == f"orders/commit/{RUN_ID}/-1"


def test_dq_takes_the_upstream_batch_with_its_source(service):
    context = make_context(task_id="check")
    context["ti"].xcoms[("begin", "return_value")] = RUN
    op = DataQualityOperator(
        task_id="check",
        ruleset='Rules = [ IsComplete "id" ]',
        on_violation="quarantine",
        input_task_id="begin",
        format="csv",
    )
    path, body, _ = submitted(service, op, context)
    assert path == "/v1/evaluations"
    assert body == {
        "ruleset": 'Rules = [ IsComplete "id" ]',
        "on_violation": "quarantine",
        "dataset": {"source": SOURCE, **BATCH},
        "format": "csv",
        "pipeline": "orders",
        "run_id": RUN_ID,
    }
    assert op.conn_id == "dagwright_dq"


def test_dq_explicit_dataset_and_pipeline(service):
    op = DataQualityOperator(
        task_id="check",
        ruleset="Rules = []",
        on_violation="warn",
        dataset="s3://b/k.parquet",
        pipeline="p1",
    )
    _, body, _ = submitted(service, op, make_context())
    assert body["dataset"] == "s3://b/k.parquet" and body["pipeline"] == "p1"
    assert "format" not in body


def test_dq_needs_a_dataset(service):
    op = DataQualityOperator(task_id="check", ruleset="R", on_violation="fail")
    with pytest.raises(AirflowFailException):
        op.execute(make_context())


# A rule the service could not bind (an unknown column, an invalid where clause) is its own
# ERROR result; the other rules are judged. What the service answers for such a ruleset:
ERROR_RULES = [
    {
        "name": "Rule_0",
        "rule": "RowCount = 5",
        "result": "PASS",
        "metrics": {"Dataset.*.RowCount": 5},
    },
    {
        "name": "Rule_1",
        "rule": 'IsComplete "amont"',
        "result": "ERROR",
        "message": 'the dataset has no column "amont" (columns: id, amount, status)',
        "metrics": {},
    },
]


def test_dq_warn_keeps_error_rules_in_its_xcom(service):
    op = DataQualityOperator(task_id="check", ruleset="R", on_violation="warn", dataset="d")
    result = {
        "outcome": "failed",
        "score": 0.5,
        "rows_in": 5,
        "rows_passed": 5,
        "rows_quarantined": 0,
        "rules": ERROR_RULES,
        "batch": "d",
    }
    event = {"status": "succeeded", "job": job("succeeded", result=result)}
    assert op.execute_complete(make_context(task_id="check"), event, retries={}) == result


def test_dq_gate_fails_on_an_error_rule(service):
    op = DataQualityOperator(task_id="check", ruleset="R", on_violation="fail", dataset="d")
    error = problem_doc(
        "DQ.RulesFailed",
        422,
        False,
        errors=[
            {
                "path": "/rules/1",
                "message": f"ERROR: {ERROR_RULES[1]['rule']} — {ERROR_RULES[1]['message']}",
            }
        ],
    )
    event = {"status": "failed", "job": job("failed", error=error)}
    with pytest.raises(AirflowFailException) as err:
        op.execute_complete(make_context(task_id="check"), event, retries={})
    assert "DQ.RulesFailed" in str(err.value) and 'ERROR: IsComplete "amont"' in str(err.value)


def test_load_body(service):
    context = make_context()
    passed = {"source": "s3://lake/_dagwright/dq/passed/", "objects": [{"key": "p.parquet"}]}
    context["ti"].xcoms[("check", "return_value")] = {"outcome": "passed", "batch": passed}
    op = LoadOperator(
        task_id="load_orders",
        warehouse="analytics",
        table="orders",
        mode="merge",
        keys=["id"],
        order_by="updated_at",
        input_task_id="check",
        format="parquet",
        options={"allow_new_columns": True},
    )
    path, body, _ = submitted(service, op, context)
    assert path == "/v1/loads"
    # order_by is a top-level field of the loader's request, not one of its options.
    assert body == {
        "warehouse": "analytics",
        "table": "orders",
        "mode": "merge",
        "keys": ["id"],
        "order_by": "updated_at",
        "batch": passed,
        "format": "parquet",
        "options": {"allow_new_columns": True},
    }


BATCHES = [
    # name, upstream return value, want batch
    ("bookmark run: source added", RUN, {"source": SOURCE, **BATCH}),
    (
        "batch keeps its own source",
        {"source": SOURCE, "batch": {"source": "s3://x/", "objects": ["k"]}},
        {"source": "s3://x/", "objects": ["k"]},
    ),
    (
        "table source not added",
        {"source": "table://pg/public.t", "batch": {"range": {}}},
        {"range": {}},
    ),
    ("a dq result", {"outcome": "passed", "batch": "s3://b/passed/"}, "s3://b/passed/"),
    ("a bare batch", {"objects": ["s3://b/k"]}, {"objects": ["s3://b/k"]}),
]


@pytest.mark.parametrize("name,upstream,want", BATCHES, ids=[b[0] for b in BATCHES])
def test_load_batch_from_upstream(service, name, upstream, want):
    context = make_context()
    context["ti"].xcoms[("up", "return_value")] = upstream
    op = LoadOperator(task_id="l", warehouse="w", table="t", mode="append", input_task_id="up")
    _, body, _ = submitted(service, op, context)
    assert body["batch"] == want


def test_load_without_upstream_batch_fails(service):
    op = LoadOperator(task_id="l", warehouse="w", table="t", mode="append", input_task_id="nothing")
    with pytest.raises(AirflowFailException):
        op.execute(make_context())


@pytest.mark.parametrize(
    "kwargs",
    [dict(mode="upsert"), dict(mode="merge"), dict(mode="merge", keys=[])],
)
def test_load_rejects_bad_modes(kwargs):
    with pytest.raises(ValueError):
        LoadOperator(task_id="l", warehouse="w", table="t", **kwargs)


def test_dq_rejects_bad_on_violation():
    with pytest.raises(ValueError):
        DataQualityOperator(task_id="c", ruleset="R", on_violation="ignore", dataset="d")


KEYS = [
    ("plain", dict(), f"orders/load_orders/{RUN_ID}/-1"),
    ("mapped", dict(map_index=3), f"orders/load_orders/{RUN_ID}/3"),
    ("map index None", dict(map_index=None), f"orders/load_orders/{RUN_ID}/-1"),
    (
        "space and unicode",
        dict(run_id="manual run é"),
        "orders/load_orders/manual%20run%20%C3%A9/-1",
    ),
    ("percent", dict(run_id="a%b"), "orders/load_orders/a%25b/-1"),
]


@pytest.mark.parametrize("name,ti,want", KEYS, ids=[k[0] for k in KEYS])
def test_idempotency_key(name, ti, want):
    assert idempotency_key(make_context(**ti)) == want


def test_long_idempotency_keys_are_shortened_stably():
    a = idempotency_key(make_context(run_id="r" * 400))
    b = idempotency_key(make_context(run_id="r" * 399 + "s"))
    assert len(a) == MAX_KEY_LENGTH and len(b) == MAX_KEY_LENGTH
    assert a != b and a == idempotency_key(make_context(run_id="r" * 400))
    assert all(0x21 <= ord(c) <= 0x7E for c in a)


TEMPLATE_FIELDS = [
    (BookmarkBeginOperator, {"bookmark", "source", "partitioning", "options"}),
    (BookmarkCommitOperator, {"bookmark"}),
    (DataQualityOperator, {"ruleset", "dataset", "format", "pipeline"}),
    (LoadOperator, {"warehouse", "table", "keys", "order_by", "source", "format", "options"}),
    (HttpCallOperator, {"endpoint", "method", "json", "headers"}),
    (WarehouseAvailableSensor, {"warehouse"}),
]


@pytest.mark.parametrize(
    "cls,fields", TEMPLATE_FIELDS, ids=[t[0].__name__ for t in TEMPLATE_FIELDS]
)
def test_template_fields(cls, fields):
    assert set(cls.template_fields) == fields


def test_templates_render():
    op = LoadOperator(
        task_id="l",
        warehouse="{{ params.wh }}",
        table="orders_{{ ds_nodash }}",
        mode="append",
        options={"note": "{{ ds }}"},
    )
    op.render_template_fields(
        {"params": {"wh": "analytics"}, "ds": "2026-11-26", "ds_nodash": "20261126"}
    )
    assert (op.warehouse, op.table, op.options) == (
        "analytics",
        "orders_20261126",
        {"note": "2026-11-26"},
    )


def test_retry_delay_scale_shortens_the_operators_airflow_retry_delays(monkeypatch):
    from datetime import timedelta

    monkeypatch.setenv("DAGWRIGHT_RETRY_DELAY_SCALE", "0.01")
    op = LoadOperator(
        task_id="load",
        warehouse="analytics",
        table="t",
        mode="append",
        retries=2,
        retry_delay=timedelta(minutes=5),
        max_retry_delay=timedelta(minutes=30),
    )
    assert op.retry_delay == timedelta(seconds=3)
    assert op.max_retry_delay == timedelta(seconds=18)
    monkeypatch.delenv("DAGWRIGHT_RETRY_DELAY_SCALE")
    assert LoadOperator(
        task_id="load2",
        warehouse="analytics",
        table="t",
        mode="append",
        retry_delay=timedelta(minutes=5),
    ).retry_delay == timedelta(minutes=5)


def test_dq_quarantines_into_the_partition_of_the_runs_logical_date(service):
    context = make_context(task_id="check")
    context["ds"] = "2026-01-01"
    op = DataQualityOperator(
        task_id="check",
        ruleset='Rules = [ IsComplete "id" ]',
        on_violation="quarantine",
        dataset="s3://lake/raw/orders/",
    )
    _, body, _ = submitted(service, op, context)
    assert body["dt"] == "2026-01-01"


def test_dq_and_load_log_what_their_job_did(service, monkeypatch):
    # Airflow 3.1 logs through structlog, which pytest's caplog does not see: record the
    # operators' log calls themselves.
    lines: list[str] = []

    class Recorder:
        def info(self, message, *args):
            lines.append(message % args)

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    dq = DataQualityOperator(
        task_id="check", ruleset="Rules = [ RowCount > 0 ]", on_violation="quarantine", dataset="x"
    )
    load = LoadOperator(task_id="load", warehouse="w", table="t", mode="append")
    for op in (dq, load):
        monkeypatch.setattr(type(op), "log", property(lambda self: Recorder()))
    result = {
        "outcome": "failed",
        "rows_in": 4,
        "rows_passed": 0,
        "rows_quarantined": 4,
        "quarantine": {"source": "s3://b/_dagwright/dq/quarantine/x/"},
    }
    assert dq.finish(make_context(), job("succeeded", result=result), {}) == result
    loaded = {"rows_loaded": 0, "rows_inserted": 0, "rows_updated": 0, "rows_deleted": 0}
    load.finish(make_context(), job("succeeded", result=loaded), {})
    text = "\n".join(lines)
    assert "4 rows in, 0 passed, 4 quarantined to s3://b/_dagwright/dq/quarantine/x/" in text
    assert "0 rows loaded into t: 0 inserted, 0 updated, 0 deleted" in text
