"""Every golden DAG imports into a real DagBag, and Airflow's own objects say what the spec said."""

from __future__ import annotations

from datetime import timedelta

import pytest
from airflow.models.dagbag import DagBag
from airflow_target import GOLDEN_DIR, IS_AIRFLOW_3, TARGET, VERSION


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    assert GOLDEN_DIR.is_dir(), f"no golden DAGs for Airflow {TARGET} in {GOLDEN_DIR}"
    return DagBag(dag_folder=str(GOLDEN_DIR), include_examples=False)


def test_every_golden_imports_without_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert len(dagbag.dags) == len(list(GOLDEN_DIR.glob("*.py")))


def _uris(outlets) -> list[str]:
    return [outlet.uri for outlet in outlets]


def _dag(dagbag: DagBag, dag_id: str):
    if dag_id not in dagbag.dags:
        pytest.skip(f"{dag_id} has no golden for Airflow {TARGET}")
    return dagbag.dags[dag_id]


def test_worked_example_resilience(dagbag: DagBag) -> None:
    dag = _dag(dagbag, "orders_hourly_to_redshift")
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert set(dag.tags) == {"orders", "redshift"}

    quality = dag.get_task("quality")
    assert quality.retries == 3
    assert quality.retry_exponential_backoff
    assert quality.retry_delay == timedelta(minutes=2)
    assert quality.max_retry_delay == timedelta(minutes=30)
    assert quality.execution_timeout == timedelta(hours=1)
    # The pool bounds the loads only: a check or a sensor waiting for files holds no warehouse slot.
    assert quality.pool == "default_pool"
    assert quality.owner == "data-eng"
    assert quality.upstream_task_ids == {"pick_new_files"}
    assert quality.on_failure_callback, "SNS notification on final failure"

    load = dag.get_task("load")
    # Service problems follow the policies (and fail fast when none matches); Airflow's own
    # retries are kept for infrastructure failures (a lost worker, a timed-out try), at the
    # first policy's delay.
    assert load.retries == 2
    assert load.retry_delay == timedelta(minutes=5)
    assert [(tuple(p.on), p.attempts, p.delay) for p in load.retry_policies] == [
        (("Redshift.UnavailableException",), 3, 300),
        (("DataError",), 0, 0),
    ]
    assert load.upstream_task_ids == {"quality", "warehouse_up"}
    assert load.pool == "warehouse"
    assert dag.get_task("wait_for_files").pool == "default_pool"
    assert load.trigger_rule == "all_success"
    assert _uris(load.outlets) == ["dagwright://analytics/analytics.orders"], (
        "a load updates its table's asset"
    )
    assert quality.outlets == []

    sensor = dag.get_task("wait_for_files")
    assert type(sensor).__name__ == "S3KeySensor"
    assert sensor.deferrable is True, "the sensor frees its worker slot"
    assert sensor.timeout == timedelta(hours=2).total_seconds()
    assert sensor.execution_timeout is None

    warehouse = dag.get_task("warehouse_up")
    assert warehouse.deferrable is True

    commit = dag.get_task("pick_new_files_commit")
    assert commit.upstream_task_ids == {"pick_new_files", "quality", "load"}, (
        "the commit waits on the bookmark and every task after it, not only the last"
    )
    assert commit.trigger_rule == "none_failed", (
        "commits after success, or after an empty batch was skipped"
    )
    assert commit.outlets == []

    if VERSION >= (3, 1):
        deadline = (
            dag.deadline if not isinstance(dag.deadline, list) else dag.deadline[0]
        )
        assert deadline.interval == timedelta(minutes=45)
    else:
        assert load.sla == timedelta(minutes=45)
        assert commit.sla == timedelta(minutes=45)
        assert quality.sla is None, "the SLA sits on the tasks that finish a run"
        assert dag.sla_miss_callback is not None


def test_fanout_example_maps_and_groups(dagbag: DagBag) -> None:
    dag = _dag(dagbag, "regional_sales_fanout")
    export = dag.get_task("exports.export_region")
    announce = dag.get_task("exports.announce")
    assert type(export).__name__ == "MappedOperator"
    assert type(announce).__name__ == "MappedOperator"
    assert export.max_active_tis_per_dagrun == 4
    assert export.pool == "exports"
    assert announce.retries == 0
    assert "list_regions" in export.upstream_task_ids
    assert "exports" in dag.task_group.children
    summary = dag.get_task("publish_summary")
    assert summary.trigger_rule == "none_failed_min_one_success"
    assert summary.upstream_task_ids == {"exports.export_region", "exports.announce"}
    assert str(dag.timezone.name) == "Europe/Paris"


def test_asset_scheduled_example(dagbag: DagBag) -> None:
    dag = _dag(dagbag, "orders_daily_rollup")
    timetable = type(dag.timetable).__name__
    assert timetable in {"DatasetTriggeredTimetable", "AssetTriggeredTimetable"}
    condition = (
        dag.timetable.asset_condition
        if IS_AIRFLOW_3
        else dag.timetable.dataset_condition
    )
    assets = list(
        condition.iter_assets() if IS_AIRFLOW_3 else condition.iter_datasets()
    )
    uris = sorted(asset.uri for _, asset in assets)
    assert uris == ["s3://curated-orders/orders", "s3://curated-orders/refunds"]
    assert type(condition).__name__ in {"DatasetAll", "AssetAll"}, (
        "a list is all of them"
    )
    if IS_AIRFLOW_3:
        # The Asset's name is the URI as written: the same as its URI, never a second spelling.
        assert sorted(asset.name for _, asset in assets) == uris
    assert _uris(dag.get_task("load_rollup").outlets) == [
        "dagwright://analytics/analytics.orders_daily"
    ]
    warehouse = dag.get_task("warehouse_up")
    assert warehouse.mode == "reschedule"
    assert warehouse.poke_interval == timedelta(minutes=2).total_seconds()


def test_glue_example(dagbag: DagBag) -> None:
    dag = _dag(dagbag, "glue_clickstream_sessions")
    glue = dag.get_task("sessionise")
    assert type(glue).__name__ == "GlueJobOperator"
    assert glue.script_args["--job-bookmark-option"] == "job-bookmark-enable"
    assert glue.deferrable is True
    # Glue's own Timeout is the spec's 90 minutes; the task waits 10 minutes longer, to see Glue
    # end the run, and a killed task stops the run.
    assert glue.run_job_kwargs["Timeout"] == 90
    assert glue.execution_timeout == timedelta(minutes=100)
    assert glue.stop_job_run_on_kill is True
    assert dag.get_task("wait_for_hour").mode == "reschedule"
    assert type(dag.timetable).__name__ in {
        "DeltaDataIntervalTimetable",
        "DeltaTriggerTimetable",
    }
    assert dag.timetable._delta == timedelta(hours=1)
    refresh = dag.get_task("refresh_api")
    assert [tuple(p.on) for p in refresh.retry_policies] == [
        ("HTTP.429", "HTTP.503", "Transport")
    ]
