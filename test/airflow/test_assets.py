"""Assets both ways (issue 10, point 12), as the installed Airflow reads the generated DAGs.

Each spec's asset condition, assets-or-time timetable and task outlets are read back from
Airflow's own objects; a real run shows a producer's load recording its table's asset
update, which queues the DAG scheduled on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from airflow.models.dagbag import DagBag
from airflow_target import IS_AIRFLOW_3
from service_double import ServiceDouble, serve
from test_dag_runs import generate, in_fresh_process

SPECS = {
    "any_of": """\
apiVersion: dagwright/v1
kind: Pipeline
name: any_of
schedule:
  assets: {any: ["s3://b/a", {all: ["s3://b/c", "x-feed://d"]}]}
start_date: 2026-01-01
tasks:
  a: {type: empty}
""",
    "all_list": """\
apiVersion: dagwright/v1
kind: Pipeline
name: all_list
schedule: {assets: ["s3://b/a", {any: ["s3://b/c", "s3://b/d"]}]}
start_date: 2026-01-01
tasks:
  a: {type: empty}
""",
    "cron_or_assets": """\
apiVersion: dagwright/v1
kind: Pipeline
name: cron_or_assets
schedule: {cron: "0 6 * * *", assets: {any: ["s3://b/a", "s3://b/c"]}}
start_date: 2026-01-01
timezone: Europe/Paris
tasks:
  a: {type: empty}
""",
    "every_or_assets": """\
apiVersion: dagwright/v1
kind: Pipeline
name: every_or_assets
schedule: {every: 1h, assets: ["s3://b/a"]}
start_date: 2026-01-01
tasks:
  a: {type: empty}
""",
    "outlets": """\
apiVersion: dagwright/v1
kind: Pipeline
name: outlets
schedule: null
start_date: 2026-01-01
tasks:
  make: {type: python, callable: "service_double:make_batch", outlets: ["s3://lake/orders/"]}
  load: {type: load, input: make, warehouse: analytics, table: analytics.orders, mode: append}
  quiet: {type: load, input: make, warehouse: analytics, table: analytics.t, mode: append, outlets: []}
  forms:
    type: empty
    outlets: ["s3://b/", "file:///data/x.csv", "x-Feed://A/b/?#", "orders", "s3://b/my key",
              "postgres://h:5432/db/s/t", "S3://b/k/", "s3://c", "s3://d/e//"]
""",
}


def condition_tree(condition) -> object:
    """An asset condition as ("any" | "all", [members]) or a URI."""
    kind = type(condition).__name__
    if kind in {"Dataset", "Asset"}:
        return condition.uri
    assert kind in {"DatasetAny", "AssetAny", "DatasetAll", "AssetAll"}, kind
    members = [condition_tree(member) for member in condition.objects]
    return ("any" if kind.endswith("Any") else "all", members)


def condition_of(dag):
    timetable = dag.timetable
    return timetable.asset_condition if IS_AIRFLOW_3 else timetable.dataset_condition


@pytest.fixture(scope="module")
def dags(tmp_path_factory: pytest.TempPathFactory) -> dict:
    specs = tmp_path_factory.mktemp("specs")
    folder = tmp_path_factory.mktemp("dags")
    for name, text in SPECS.items():
        (specs / f"{name}.yaml").write_text(text)
    generate(specs, folder)
    bag = DagBag(dag_folder=str(folder), include_examples=False)
    assert bag.import_errors == {}
    return bag.dags


def test_any_of_nests_all_of(dags: dict) -> None:
    dag = dags["any_of"]
    assert type(dag.timetable).__name__ in {
        "DatasetTriggeredTimetable",
        "AssetTriggeredTimetable",
    }
    assert condition_tree(condition_of(dag)) == (
        "any",
        ["s3://b/a", ("all", ["s3://b/c", "x-feed://d"])],
    )


def test_a_list_is_all_of_its_members(dags: dict) -> None:
    assert condition_tree(condition_of(dags["all_list"])) == (
        "all",
        ["s3://b/a", ("any", ["s3://b/c", "s3://b/d"])],
    )


@pytest.mark.parametrize(
    ("dag_id", "inner", "condition"),
    [
        (
            "cron_or_assets",
            "CronDataIntervalTimetable",
            ("any", ["s3://b/a", "s3://b/c"]),
        ),
        ("every_or_assets", "DeltaDataIntervalTimetable", ("all", ["s3://b/a"])),
    ],
)
def test_assets_or_time_wraps_the_data_interval_timetable(
    dags: dict, dag_id: str, inner: str, condition: tuple
) -> None:
    dag = dags[dag_id]
    assert type(dag.timetable).__name__ in {
        "DatasetOrTimeSchedule",
        "AssetOrTimeSchedule",
    }
    assert type(dag.timetable.timetable).__name__ == inner
    assert condition_tree(condition_of(dag)) == condition


# The URIs of the "forms" task as dagwright writes them: as written, or rewritten as Airflow
# would (src/spec/asset-uri.ts). Airflow must keep every one as it is.
FORMS = [
    "s3://b/",
    "file:///data/x.csv",
    "x-Feed://A/b/?#",
    "orders",
    "s3://b/my key",
    "postgres://h:5432/db/s/t",
    "s3://b/k",
    "s3://c/",
    "s3://d/e",
]


def test_outlets(dags: dict) -> None:
    dag = dags["outlets"]
    outlets = {task.task_id: [o.uri for o in task.outlets] for task in dag.tasks}
    assert outlets == {
        "make": ["s3://lake/orders"],  # written as Airflow keeps it: no trailing slash
        "load": ["dagwright://analytics/analytics.orders"],
        "quiet": [],
        "forms": FORMS,
    }
    if IS_AIRFLOW_3:
        # The name is the text dagwright wrote: one spelling, one asset.
        assert [o.name for o in dag.get_task("forms").outlets] == FORMS
    if IS_AIRFLOW_3:
        assert [o.name for o in dag.get_task("make").outlets] == ["s3://lake/orders"]


PRODUCER = """\
apiVersion: dagwright/v1
kind: Pipeline
name: asset_producer
schedule: null
start_date: 2026-01-01
tasks:
  make_batch: {type: python, callable: "service_double:make_batch"}
  load: {type: load, input: make_batch, warehouse: analytics, table: analytics.orders, mode: append}
"""

CONSUMER = """\
apiVersion: dagwright/v1
kind: Pipeline
name: asset_consumer
schedule: {assets: {any: ["dagwright://analytics/analytics.orders", "s3://b/other"]}}
start_date: 2026-01-01
tasks:
  a: {type: empty}
"""


def test_a_load_records_its_table_asset_and_queues_the_consumer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "asset_producer.yaml").write_text(PRODUCER)
    (specs / "asset_consumer.yaml").write_text(CONSUMER)
    folder = generate(specs, tmp_path / "dags")
    double = ServiceDouble([])
    with serve(double) as address:
        monkeypatch.setenv(
            "AIRFLOW_CONN_DAGWRIGHT_LOADER", f"http://:test-token@{address}"
        )
        outcome = in_fresh_process(
            "run_asset_event.py",
            "ASSET_EVENT_OUTCOME",
            str(folder),
            "asset_producer",
        )
    assert outcome["state"] == "success", outcome
    assert len(double.posts) == 1
    assert outcome["events"] == [
        {
            "uri": "dagwright://analytics/analytics.orders",
            "dag_id": "asset_producer",
            "task_id": "load",
        }
    ], outcome
    assert outcome["queued"] == ["asset_consumer"], (
        "the consumer, scheduled on any of the table's asset and another, is queued to run"
    )
