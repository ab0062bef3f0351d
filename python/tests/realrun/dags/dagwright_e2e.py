"""A DAG like a generated one, run for real by tests/test_airflow_run.py (dag.test())."""

from datetime import datetime

from airflow import DAG

from dagwright_airflow.operators.bookmark import BookmarkBeginOperator, BookmarkCommitOperator
from dagwright_airflow.operators.dq import DataQualityOperator
from dagwright_airflow.operators.load import LoadOperator
from dagwright_airflow.retry import RetryPolicy
from dagwright_airflow.sensors.warehouse import WarehouseAvailableSensor

with DAG("dagwright_e2e", start_date=datetime(2026, 1, 1), schedule=None, catchup=False) as dag:
    wait = WarehouseAvailableSensor(task_id="wait", warehouse="analytics", poke_interval=1)
    begin = BookmarkBeginOperator(
        task_id="begin", bookmark="orders", source="s3://b/orders/", poll_interval=1
    )
    check = DataQualityOperator(
        task_id="check",
        ruleset='Rules = [ IsComplete "id" ]',
        on_violation="quarantine",
        input_task_id="begin",
        poll_interval=1,
        retry_policies=None,
    )
    load = LoadOperator.partial(
        task_id="load",
        warehouse="analytics",
        mode="append",
        input_task_id="check",
        poll_interval=1,
        retry_policies=[RetryPolicy(on=["Warehouse"], attempts=2, delay=1)],
    ).expand(table=["orders", "orders_copy"])
    commit = BookmarkCommitOperator(task_id="commit", bookmark="orders", poll_interval=1)
    wait >> begin >> check >> load >> commit
