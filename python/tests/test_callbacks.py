"""sns_sla_miss_callback: the message, and the publish through SnsHook."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from dagwright_airflow import callbacks


@dataclass
class Sla:
    task_id: str
    execution_date: datetime


@dataclass
class TI:
    task_id: str
    run_id: str
    state: str


@dataclass
class Dag:
    dag_id: str


WHEN = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


class FakeSns:
    def __init__(self):
        self.published = []

    def publish_to_target(self, **kwargs):
        self.published.append(kwargs)
        return "msg-1"


def test_callback_publishes_a_clear_message(monkeypatch):
    fake = FakeSns()
    made = []

    def make_hook(aws_conn_id, region_name):
        made.append((aws_conn_id, region_name))
        return fake

    monkeypatch.setattr(callbacks, "_sns_hook", make_hook)
    cb = callbacks.sns_sla_miss_callback("arn:aws:sns:eu-west-1:1:alerts", "aws_ops", "eu-west-1")
    cb(
        Dag("orders"),
        "load_orders on 2026-11-26",
        "begin on 2026-11-26",
        [Sla("load_orders", WHEN)],
        [TI("begin", "scheduled__x", "running")],
    )
    assert made == [("aws_ops", "eu-west-1")]
    [sent] = fake.published
    assert sent["target_arn"] == "arn:aws:sns:eu-west-1:1:alerts"
    assert sent["subject"] == "[dagwright] SLA missed: orders"
    assert "load_orders (run 2026-11-26T10:00:00+00:00)" in sent["message"]
    assert "begin (run scheduled__x, state running)" in sent["message"]


def test_subject_is_sns_safe():
    subject, message = callbacks.sla_miss_message(Dag("d" * 200 + "é\n"), [], None)
    assert len(subject) <= 100
    assert all(32 <= ord(c) < 127 for c in subject)
    assert "(none)" in message


def test_a_dag_far_behind_gets_a_message_sns_accepts():
    # An hourly DAG of 3 tasks, three months behind: over 6,000 misses, as many blockers;
    # listed in full, the message would be about 600 KB (SNS takes 256 KB).
    slas = [Sla(f"task_{i % 3}", WHEN) for i in range(6480)]
    blocking = [TI(f"task_{i % 3}", f"scheduled__{i}", "queued") for i in range(6480)]
    _, message = callbacks.sla_miss_message(Dag("orders"), slas, blocking)
    assert len(message.encode()) < 256 * 1024
    assert message.count("(run ") == 2 * callbacks.LISTED_LIMIT
    assert f"… and {6480 - callbacks.LISTED_LIMIT} more" in message


def test_callback_signature_is_airflow_2s():
    import inspect

    cb = callbacks.sns_sla_miss_callback("arn")
    params = list(inspect.signature(cb).parameters)
    assert params == ["dag", "task_list", "blocking_task_list", "slas", "blocking_tis"]


@pytest.mark.skipif(
    not os.environ.get("DAGWRIGHT_S3_ENDPOINT") or not os.environ.get("AIRFLOW_CONN_AWS_DEFAULT"),
    reason="needs the moto endpoint and its aws_default connection (scripts/test-all.sh)",
)
def test_publish_through_the_real_sns_hook():
    pytest.importorskip("airflow.providers.amazon")
    import boto3

    endpoint = os.environ["DAGWRIGHT_S3_ENDPOINT"]
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    sns = boto3.client("sns", endpoint_url=endpoint, region_name=region)
    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name=region)
    topic = sns.create_topic(Name="dagwright-sla-test")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="dagwright-sla-test")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

    callbacks.sns_sla_miss_callback(topic, region_name=region)(
        Dag("orders"), "", "", [Sla("load_orders", WHEN)], []
    )
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=2).get("Messages", [])
    assert messages and "load_orders" in messages[0]["Body"]


def test_log_deadline_miss_is_awaitable_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    import asyncio

    from dagwright_airflow.callbacks import log_deadline_miss

    with caplog.at_level("WARNING"):
        # The context Airflow 3.1 hands a deadline callback: the run as its REST API shows it
        # (DAGRunResponse, where the run id is dag_run_id), and the deadline.
        asyncio.run(
            log_deadline_miss(
                context={
                    "dag_run": {
                        "dag_id": "d",
                        "dag_run_id": "r",
                        "queued_at": "2026-01-02T00:00:00Z",
                    },
                    "deadline": {"id": "x", "deadline_time": "2026-01-02T00:30:00Z"},
                }
            )
        )
    assert (
        "DAG d run r missed its deadline (2026-01-02T00:30:00Z; queued at"
        " 2026-01-02T00:00:00Z)" in caplog.text
    )
