"""Run a generated-style DAG for real with dag.test(): deferrals, timers, XCom, mapping.

A subprocess gets a fresh AIRFLOW_HOME (migrated sqlite DB) so nothing touches the
runner's own metadata DB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import TOKEN

HERE = Path(__file__).parent
PYTHON_DIR = HERE.parent


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow-home")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AIRFLOW__") and not k.startswith("AIRFLOW_CONN_")
    }
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(HERE / "realrun" / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        PYTHONPATH=os.pathsep.join([str(PYTHON_DIR), env.get("PYTHONPATH", "")]),
    )
    airflow = [sys.executable, "-m", "airflow"]
    migrate = subprocess.run(
        [*airflow, "db", "migrate"], env=env, capture_output=True, text=True, timeout=300
    )
    assert migrate.returncode == 0, migrate.stdout[-2000:] + migrate.stderr[-2000:]
    return env


def run_dag(env, **extra):
    proc = subprocess.run(
        [sys.executable, "-m", "tests.realrun.run_dag"],
        env={**env, **extra},
        cwd=PYTHON_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, output[-4000:]
    return json.loads(lines[-1][len("RESULT ") :]), output


@pytest.fixture(scope="module")
def run(airflow_env):
    return run_dag(airflow_env)


@pytest.fixture(scope="module")
def manifest_run(airflow_env):
    """The same DAG, with a bookmark that answers a large batch as a manifest reference."""
    return run_dag(airflow_env, DAGWRIGHT_TEST_BATCH="manifest")


def test_the_run_succeeds(run):
    result, output = run
    assert result["state"].lower().endswith("success"), output[-4000:]


def test_requests_follow_the_protocol(run):
    result, _ = run
    posts = [(path, key) for method, path, key, _ in result["seen"] if method == "POST"]
    paths = [path for path, _ in posts]
    assert paths.count("/v1/bookmarks/orders/runs") == 1
    assert paths.count("/v1/evaluations") == 1
    assert paths.count("/v1/loads") >= 3  # one 503 then a retry (same key), for two map indexes
    load_keys = {key for path, key in posts if path == "/v1/loads"}
    assert {key.rsplit("/", 1)[1] for key in load_keys} == {"0", "1"}
    assert any(p.startswith("/v1/bookmarks/orders/runs/") and p.endswith("/commit") for p in paths)


def test_the_batch_flows_from_bookmark_to_load(run):
    result, _ = run
    bodies = {path: body for method, path, _, body in result["seen"] if method == "POST"}
    batch = bodies["/v1/evaluations"]["dataset"]
    assert batch == {
        "source": "s3://lake/raw/orders/",
        "objects": [{"key": "raw/orders/a.csv"}],
        "total_bytes": 1,
    }
    assert bodies["/v1/loads"]["batch"] == batch


def test_the_token_is_not_logged(run):
    _, output = run
    # Airflow 3.0's in-process test supervisor traces, at debug level, the message that
    # registers the connection password with its own log masker: that line is Airflow's.
    lines = [line for line in output.splitlines() if "MaskSecret(" not in line]
    assert not [line for line in lines if TOKEN in line]


MANIFEST_BATCH = {
    "source": "s3://lake/raw/orders/",
    "manifest": "s3://lake/_dagwright/batches/bookmark=orders/run=r/" + "ab" * 32 + ".jsonl",
    "count": 100_000,
    "total_bytes": 1_700_000,
}


def test_a_large_batch_crosses_xcom_as_its_manifest_reference(manifest_run):
    """Issue 10: XCom and the dq and load requests carry the reference, not the object list."""
    result, output = manifest_run
    assert result["state"].lower().endswith("success"), output[-4000:]
    begun = result["xcoms"]["begin"]["batch"]
    assert "objects" not in begun and begun["count"] == 100_000
    assert result["xcoms"]["check"]["batch"] == MANIFEST_BATCH
    bodies = {path: body for method, path, _, body in result["seen"] if method == "POST"}
    assert bodies["/v1/evaluations"]["dataset"] == MANIFEST_BATCH
    assert bodies["/v1/loads"]["batch"] == MANIFEST_BATCH
    for path in ("/v1/evaluations", "/v1/loads"):
        assert len(json.dumps(bodies[path])) < 2048
