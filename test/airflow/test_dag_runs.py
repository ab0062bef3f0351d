"""Generated DAGs run for real with dag.test() on the installed Airflow version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from airflow_target import REPO_ROOT, TARGET
from service_double import ServiceDouble, data_error, serve, unavailable

TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:dagwright-test-alerts"


def cli_generate(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """Runs the real CLI on one spec for this Airflow version."""
    command = [
        "node",
        str(REPO_ROOT / "bin/dagwright.js"),
        "generate",
        str(spec),
        "--airflow",
        TARGET,
        "-o",
        str(out),
    ]
    return subprocess.run(command, check=False, capture_output=True, text=True)


def generate(spec: Path, out: Path) -> Path:
    """Generates one spec that must be valid; returns the DAG folder."""
    done = cli_generate(spec, out)
    assert done.returncode == 0, done.stderr
    return out


def in_fresh_process(script: str, marker: str, *args: str) -> dict:
    """Runs one of this folder's helper scripts in a fresh interpreter (Airflow keeps state
    between runs in one process) and returns the JSON it prints after `marker`."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name(script)), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    for line in done.stdout.splitlines():
        if line.startswith(f"{marker} "):
            return json.loads(line.removeprefix(f"{marker} "))
    raise AssertionError(
        f"{script} did not finish (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )


def dag_test(folder: Path, dag_id: str, *xcom_tasks: str) -> dict:
    """dag.test() (see run_dag_test.py); returns its outcome."""
    return in_fresh_process(
        "run_dag_test.py", "DAG_TEST_OUTCOME", str(folder), dag_id, *xcom_tasks
    )


def test_local_fanout_dag_runs(tmp_path: Path) -> None:
    folder = generate(REPO_ROOT / "examples/regional_sales_fanout.yaml", tmp_path)
    run = dag_test(folder, "regional_sales_fanout")
    got = run["tasks"]
    assert run["state"] == "success", got
    # list_regions returns three regions; announce maps over three literal values.
    assert sorted(k for k in got if k.startswith("exports.export_region")) == [
        f"exports.export_region[{i}]" for i in range(3)
    ]
    assert sorted(k for k in got if k.startswith("exports.announce")) == [
        f"exports.announce[{i}]" for i in range(3)
    ]
    assert all(state == "success" for state in got.values()), got


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch):
    """SNS and SQS on the moto server; a queue subscribed to the alerts topic."""
    endpoint = os.environ.get("DAGWRIGHT_S3_ENDPOINT")
    if not endpoint:
        if os.environ.get("CI"):
            pytest.fail(
                "DAGWRIGHT_S3_ENDPOINT must be set in CI (scripts/test-all.sh starts moto)"
            )
        pytest.skip("no moto server: set DAGWRIGHT_S3_ENDPOINT")
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    extra = {"endpoint_url": endpoint, "region_name": "us-east-1"}
    monkeypatch.setenv(
        "AIRFLOW_CONN_AWS_DEFAULT", json.dumps({"conn_type": "aws", "extra": extra})
    )
    sns = boto3.client("sns", endpoint_url=endpoint)
    sqs = boto3.client("sqs", endpoint_url=endpoint)
    topic = sns.create_topic(Name="dagwright-test-alerts")["TopicArn"]
    assert topic == TOPIC_ARN
    queue_url = sqs.create_queue(QueueName=f"alerts-{os.getpid()}-{time.time_ns()}")[
        "QueueUrl"
    ]
    queue_arn = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)[
        "SubscriptionArn"
    ]
    yield sqs, queue_url
    sns.unsubscribe(SubscriptionArn=subscription)
    sqs.delete_queue(QueueUrl=queue_url)


def received(sqs, queue_url: str) -> list[str]:
    messages = sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
    ).get("Messages", [])
    return [json.loads(m["Body"]).get("Message", m["Body"]) for m in messages]


def test_service_task_retries_unavailable_then_succeeds(
    tmp_path: Path, aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs, queue_url = aws
    double = ServiceDouble([unavailable(), unavailable()])
    with serve(double) as address:
        monkeypatch.setenv(
            "AIRFLOW_CONN_DAGWRIGHT_LOADER", f"http://:test-token@{address}"
        )
        folder = generate(REPO_ROOT / "test/airflow/specs/service_load.yaml", tmp_path)
        started = time.monotonic()
        run = dag_test(folder, "service_load", "load")
        elapsed = time.monotonic() - started
    assert run["state"] == "success", run
    assert len(double.posts) == 3, "two 503s, then the job: success on the third try"
    assert len({post["key"] for post in double.posts}) == 1, (
        "every try sends the same Idempotency-Key"
    )
    assert double.posts[0]["key"].startswith("service_load/load/")
    assert (
        double.posts[0]["body"]["batch"]["objects"][0]["key"]
        == "orders/dt=2026-01-01/part-0.parquet"
    )
    assert elapsed >= 2, "each retry waited for Retry-After (1s)"
    assert run["xcom"]["load"]["rows_loaded"] == 42
    assert received(sqs, queue_url) == [], "no failure, no notification"


def test_non_retryable_error_fails_fast_and_notifies_sns(
    tmp_path: Path, aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs, queue_url = aws
    double = ServiceDouble([data_error()])
    with serve(double) as address:
        monkeypatch.setenv(
            "AIRFLOW_CONN_DAGWRIGHT_LOADER", f"http://:test-token@{address}"
        )
        folder = generate(REPO_ROOT / "test/airflow/specs/service_load.yaml", tmp_path)
        run = dag_test(folder, "service_load", "make_batch")
    assert run["state"] == "failed", run
    assert len(double.posts) == 1, f"DataError is listed in no policy: no retry; {run}"
    assert run["tasks"]["load[-1]"] == "failed"
    assert run["tries"]["load"] == 1, "failed on its first try, with no Airflow retry"
    messages = received(sqs, queue_url)
    assert len(messages) == 1, messages
    assert "load" in messages[0] and "service_load" in messages[0]


@pytest.mark.parametrize(
    ("failures", "load", "commit"),
    [([data_error()], "failed", "upstream_failed"), ([], "success", "success")],
    ids=["a failed load", "a loaded batch"],
)
def test_the_bookmark_commits_only_a_loaded_batch(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failures: list,
    load: str,
    commit: str,
) -> None:
    # `report` runs however the load ended (all_done): it must not let the commit through.
    double = ServiceDouble(failures)
    with serve(double) as address:
        for conn in ("DAGWRIGHT_LOADER", "DAGWRIGHT_BOOKMARKS"):
            monkeypatch.setenv(f"AIRFLOW_CONN_{conn}", f"http://:test-token@{address}")
        folder = generate(REPO_ROOT / "test/airflow/specs/bookmark_load.yaml", tmp_path)
        run = dag_test(folder, "bookmark_load")
    got = run["tasks"]
    assert got["pick[-1]"] == "success", run
    assert got["load[-1]"] == load, run
    assert got["report[-1]"] == "success", run
    assert got["pick_commit[-1]"] == commit, run
    commits = [p for p in double.bookmark_posts if p.endswith("/commit")]
    assert len(commits) == (1 if commit == "success" else 0), double.bookmark_posts


def test_a_bookmark_in_a_group_commits_after_the_tasks_after_the_group(
    tmp_path: Path,
) -> None:
    from airflow.models.dagbag import DagBag

    folder = generate(REPO_ROOT / "test/airflow/specs/bookmark_in_group.yaml", tmp_path)
    bag = DagBag(dag_folder=str(folder), include_examples=False)
    assert bag.import_errors == {}, "no cycle through the group's last tasks"
    dag = bag.dags["bookmark_in_group"]
    assert dag.get_task("report").upstream_task_ids == {"ingest.load"}
    assert dag.get_task("ingest_pick_commit").upstream_task_ids == {
        "ingest.pick",
        "ingest.load",
        "report",
    }


def test_sla_without_sns_imports_or_is_rejected(tmp_path: Path) -> None:
    done = cli_generate(REPO_ROOT / "test/airflow/specs/sla_without_sns.yaml", tmp_path)
    if TARGET == "3.0":
        assert done.returncode == 1 and "airflow.unsupported-feature" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    from airflow.models.dagbag import DagBag

    bag = DagBag(dag_folder=str(tmp_path), include_examples=False)
    assert bag.import_errors == {}
    dag = bag.dags["sla_without_sns"]
    if TARGET == "3.1":
        deadline = dag.deadline[0] if isinstance(dag.deadline, list) else dag.deadline
        assert deadline.interval.total_seconds() == 1800
    else:
        assert dag.get_task("work").sla.total_seconds() == 1800


def sla_miss(folder: Path, dag_id: str) -> dict:
    """One early run, then Airflow 2's own SLA check (see run_sla_miss.py)."""
    return in_fresh_process("run_sla_miss.py", "SLA_OUTCOME", str(folder), dag_id)


def deadline_miss(folder: Path, dag_id: str) -> dict:
    """A run left running past its deadline, then Airflow's own miss handling and callback
    trigger (see run_deadline_miss.py)."""
    return in_fresh_process(
        "run_deadline_miss.py", "DEADLINE_OUTCOME", str(folder), dag_id
    )


@pytest.mark.skipif(
    not TARGET.startswith("2."), reason="SLAs exist on Airflow 2.x only"
)
def test_a_missed_sla_publishes_to_sns(tmp_path: Path, aws) -> None:
    sqs, queue_url = aws
    folder = generate(REPO_ROOT / "test/airflow/specs/sla_with_sns.yaml", tmp_path)
    outcome = sla_miss(folder, "sla_with_sns")
    assert outcome["run_state"] == "success", outcome
    assert outcome["tasks"] == ["work"], "the task with the 30m sla"
    assert outcome["first"] == "2026-01-02T00:00:00+00:00", (
        "the first run that never came"
    )
    assert outcome["notified"] is True, outcome
    [message] = received(sqs, queue_url)
    assert message.startswith("DAG sla_with_sns missed its SLA."), message
    assert "work (run 2026-01-02T00:00:00+00:00)" in message
    listed = min(outcome["misses"], 50)
    assert message.count("  - work (run ") == listed, (
        "at most 50 listed; the rest counted"
    )


@pytest.mark.skipif(
    TARGET not in ("3.1",), reason="deadline alerts exist from Airflow 3.1"
)
def test_a_missed_deadline_publishes_to_sns(tmp_path: Path, aws) -> None:
    sqs, queue_url = aws
    folder = generate(REPO_ROOT / "test/airflow/specs/sla_with_sns.yaml", tmp_path)
    outcome = deadline_miss(folder, "sla_with_sns")
    assert outcome["run_state"] == "running", "the run is still going at its deadline"
    assert outcome["missed"] == 1, outcome
    [deadline] = outcome["deadlines"]
    assert deadline["deadline_time"] == "2026-01-02 00:30:00+00:00", (
        "the 30m sla counts from the scheduled time (the end of the @daily interval the"
        " run covers, when it was queued), not from its logical date, as on Airflow 2.x"
    )
    assert (
        deadline["callback"]
        == "airflow.providers.amazon.aws.notifications.sns.SnsNotifier"
    )
    assert deadline["callback_state"] == "success", outcome["events"]
    expected = (
        f"DAG sla_with_sns run {outcome['run_id']} missed its deadline: not done 30m"
        " after it was queued at 2026-01-02T00:00:00Z."
    )
    assert received(sqs, queue_url) == [expected], (
        "the message names the run, its sla and when it was queued"
    )


@pytest.mark.skipif(
    TARGET not in ("3.1",), reason="deadline alerts exist from Airflow 3.1"
)
def test_a_missed_deadline_without_sns_is_logged(tmp_path: Path) -> None:
    folder = generate(REPO_ROOT / "test/airflow/specs/sla_without_sns.yaml", tmp_path)
    outcome = deadline_miss(folder, "sla_without_sns")
    [deadline] = outcome["deadlines"]
    assert deadline["callback"] == "dagwright_airflow.callbacks.log_deadline_miss"
    assert deadline["callback_state"] == "success", outcome["events"]


def test_group_edges_reach_only_the_groups_first_and_last_tasks(tmp_path: Path) -> None:
    from airflow.models.dagbag import DagBag

    folder = generate(REPO_ROOT / "test/airflow/specs/group_edges.yaml", tmp_path)
    dag = DagBag(dag_folder=str(folder), include_examples=False).dags["group_edges"]
    assert dag.get_task("stage.first").upstream_task_ids == {"before"}
    assert dag.get_task("stage.second").upstream_task_ids == {"stage.first"}
    assert dag.get_task("finish").upstream_task_ids == {"stage.second"}, (
        "all_done counts direct upstreams"
    )


def test_mapped_bookmarks_and_loads_render_their_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    double = ServiceDouble([])
    with serve(double) as address:
        for conn in ("DAGWRIGHT_LOADER", "DAGWRIGHT_BOOKMARKS"):
            monkeypatch.setenv(f"AIRFLOW_CONN_{conn}", f"http://:test-token@{address}")
        folder = generate(REPO_ROOT / "test/airflow/specs/mapped_load.yaml", tmp_path)
        run = dag_test(folder, "mapped_load")
    got = run["tasks"]
    assert run["state"] == "success", run
    assert sorted(got) == sorted(
        f"{task}[{i}]"
        for task in ("pick", "load", "load_region", "pick_commit")
        for i in (0, 1)
    ), got
    # The empty region's load succeeds without a call: a skipped copy would have skipped
    # every copy of the commit too, and committed nothing.
    assert all(state == "success" for state in got.values()), got
    begun = sorted(p for p in double.bookmark_posts if p.endswith("/runs"))
    assert begun == [
        "/v1/bookmarks/mapped_load.pick.empty/runs",
        "/v1/bookmarks/mapped_load.pick.us/runs",
    ]
    committed = sorted(
        p.split("/")[3] for p in double.bookmark_posts if p.endswith("/commit")
    )
    assert committed == ["mapped_load.pick.empty", "mapped_load.pick.us"]
    # Idempotency-Key: <dag_id>/<task_id>/<run_id>/<map_index>.
    loads = {
        "/".join(post["key"].split("/")[i] for i in (0, 1, -1)): post["body"]
        for post in double.posts
    }
    assert sorted(loads) == [
        "mapped_load/load/0",
        "mapped_load/load_region/0",
        "mapped_load/load_region/1",
    ]
    assert loads["mapped_load/load/0"]["batch"]["source"] == "s3://raw-orders/us/"
    for index, region in enumerate(("us", "eu")):
        batch = loads[f"mapped_load/load_region/{index}"]["batch"]
        assert batch["source"].startswith(f"s3://sales/{region}/dt=2"), batch
        assert batch["objects"] == [
            {"key": batch["source"].removeprefix("s3://sales/")}
        ]


def test_service_tasks_mapped_over_an_upstream_output_import(tmp_path: Path) -> None:
    from airflow.models.dagbag import DagBag

    folder = generate(REPO_ROOT / "test/airflow/specs/mapped_from.yaml", tmp_path)
    bag = DagBag(dag_folder=str(folder), include_examples=False)
    assert bag.import_errors == {}
    dag = bag.dags["mapped_from"]
    for task_id in ("pick", "check", "load", "pick_commit"):
        task = dag.get_task(task_id)
        assert type(task).__name__ == "MappedOperator", task_id
        # Airflow draws the edge from the task mapped over.
        assert "regions" in task.upstream_task_ids, task_id
    assert dag.get_task("pick").partial_kwargs["max_active_tis_per_dagrun"] == 2
    assert dag.get_task("load").partial_kwargs["input_mapped"] is True
    assert dag.get_task("pick_commit").upstream_task_ids == {
        "regions",
        "pick",
        "check",
        "load",
    }
