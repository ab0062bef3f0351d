"""A DAG built the way the generator builds one: it parses and serializes."""

from __future__ import annotations

from datetime import datetime

from dagwright_airflow._compat import AIRFLOW_V3
from dagwright_airflow.callbacks import sns_sla_miss_callback
from dagwright_airflow.operators.bookmark import BookmarkBeginOperator, BookmarkCommitOperator
from dagwright_airflow.operators.dq import DataQualityOperator
from dagwright_airflow.operators.http import HttpCallOperator
from dagwright_airflow.operators.load import LoadOperator
from dagwright_airflow.retry import RetryPolicy
from dagwright_airflow.sensors.warehouse import WarehouseAvailableSensor


def build_dag():
    from airflow import DAG

    extra = {} if AIRFLOW_V3 else {"sla_miss_callback": sns_sla_miss_callback("arn:aws:sns:x")}
    with DAG(
        dag_id="orders",
        start_date=datetime(2026, 1, 1),
        schedule=None,
        catchup=False,
        **extra,
    ) as dag:
        wait = WarehouseAvailableSensor(
            task_id="wait_for_warehouse", warehouse="analytics", mode="reschedule", deferrable=False
        )
        begin = BookmarkBeginOperator(task_id="begin", bookmark="orders", source="s3://b/orders/")
        check = DataQualityOperator(
            task_id="check", ruleset="Rules = []", on_violation="quarantine", input_task_id="begin"
        )
        load = LoadOperator(
            task_id="load",
            warehouse="analytics",
            table="orders",
            mode="merge",
            keys=["id"],
            input_task_id="check",
            retry_policies=[
                RetryPolicy(
                    on=["Warehouse", "Redshift"],
                    attempts=5,
                    delay=60,
                    backoff="exponential",
                    max_delay=900,
                ),
                RetryPolicy(on=["ALL"], attempts=2, delay=30),
            ],
        )
        commit = BookmarkCommitOperator(task_id="commit", bookmark="orders", retry_policies=[])
        notify = HttpCallOperator(
            task_id="notify", conn_id="webhook", endpoint="/done", method="POST"
        )
        wait >> begin >> check >> load >> commit >> notify
    return dag


def test_dag_builds():
    dag = build_dag()
    assert set(dag.task_ids) == {"wait_for_warehouse", "begin", "check", "load", "commit", "notify"}
    assert dag.get_task("load").retry_policies[0].on == ("Warehouse", "Redshift")


def test_dag_serializes():
    from airflow.serialization.serialized_objects import SerializedDAG

    data = SerializedDAG.to_dict(build_dag())
    dag = SerializedDAG.from_dict(data)
    load = dag.get_task("load")
    assert load.task_type == "LoadOperator"
    assert list(load.template_fields) == list(LoadOperator.template_fields)
