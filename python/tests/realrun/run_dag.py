"""Run dags/dagwright_e2e.py with dag.test() against a scripted local service.

Invoked in a subprocess (fresh AIRFLOW_HOME, migrated DB) by tests/test_airflow_run.py.
Prints one JSON line: the run's state and the requests the service saw.
"""

import json
import os
import sys

from tests.fakes import TOKEN, job, problem_doc
from tests.httpserver import JSON, PROBLEM, ScriptedServer

SOURCE = "s3://lake/raw/orders/"
# DAGWRIGHT_TEST_BATCH=manifest: the bookmark answers a large batch, as a manifest reference.
MANIFEST = {
    "manifest": "s3://lake/_dagwright/batches/bookmark=orders/run=r/" + "ab" * 32 + ".jsonl",
    "count": 100_000,
    "total_bytes": 1_700_000,
}
INLINE = {"objects": [{"key": "raw/orders/a.csv"}], "total_bytes": 1}
BATCH = MANIFEST if os.environ.get("DAGWRIGHT_TEST_BATCH") == "manifest" else INLINE
RUN = {"run_id": "r", "bookmark": "orders", "source": SOURCE, "batch": BATCH, "groups": []}


def script(srv):
    srv.route(
        "GET",
        "/v1/warehouses/analytics/availability",
        (503, {**PROBLEM, "Retry-After": "1"}, problem_doc("Redshift.UnavailableException")),
        (200, JSON, {"status": "available"}),
    )
    srv.route("POST", "/v1/bookmarks/orders/runs", (202, JSON, job("queued", job_id="b1")))
    srv.route("GET", "/v1/jobs/b1", (200, JSON, job("succeeded", job_id="b1", result=RUN)))
    srv.route("POST", "/v1/evaluations", (202, JSON, job("queued", job_id="q1")))
    result = {
        "outcome": "passed",
        "rows_in": 1,
        "rows_passed": 1,
        "rows_quarantined": 0,
        "batch": {"source": SOURCE, **BATCH},  # the dq service forwards its input dataset
    }
    srv.route("GET", "/v1/jobs/q1", (200, JSON, job("succeeded", job_id="q1", result=result)))
    srv.route(
        "POST",
        "/v1/loads",
        (503, {**PROBLEM, "Retry-After": "1"}, problem_doc("Warehouse.Unavailable")),
        (202, JSON, job("queued", job_id="l1")),
    )
    srv.route(
        "GET",
        "/v1/jobs/l1",
        (200, JSON, job("running", job_id="l1")),
        (200, JSON, job("succeeded", job_id="l1", result={"rows_loaded": 1})),
    )
    # The commit path holds the run id: srv.default answers it.
    srv.default = (202, JSON, job("succeeded", job_id="c1", result={"name": "orders"}))


def main():
    with ScriptedServer() as srv:
        script(srv)
        url = srv.url.replace("://", f"://:{TOKEN}@")
        for conn_id in ("dagwright_loader", "dagwright_dq", "dagwright_bookmarks"):
            os.environ[f"AIRFLOW_CONN_{conn_id.upper()}"] = url
        sys.path.insert(0, os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
        from dagwright_e2e import dag

        run = dag.test()
        seen = [[s.method, s.path, s.headers.get("Idempotency-Key"), s.body] for s in srv.seen]
        xcoms = {
            ti.task_id: ti.xcom_pull(task_ids=ti.task_id)
            for ti in run.get_task_instances()
            if ti.task_id in ("begin", "check")
        }
        print("RESULT " + json.dumps({"state": str(run.state), "seen": seen, "xcoms": xcoms}))


if __name__ == "__main__":
    main()
