"""Runs one DAG with dag.test() in this process and prints the outcome as JSON.

The tests call it in a fresh process per run: Airflow 3.0's in-process execution API keeps
state between dag.test() calls in one interpreter, so runs must not share one.

    python run_dag_test.py <dag_folder> <dag_id> [<task_id whose XCom to report> ...]
"""

from __future__ import annotations

import json
import sys


def main(folder: str, dag_id: str, xcom_tasks: list[str]) -> None:
    import airflow
    from airflow.models.dagbag import DagBag

    bag = DagBag(dag_folder=folder, include_examples=False)
    if bag.import_errors:
        raise SystemExit(f"import errors: {bag.import_errors}")
    if tuple(int(p) for p in airflow.__version__.split(".")[:2]) >= (3, 1):
        # Airflow 3.1's dag.test() runs the serialized DAG: store it as the DAG processor would.
        from airflow.dag_processing.bundles.manager import DagBundlesManager
        from airflow.models.dagbag import sync_bag_to_db

        DagBundlesManager().sync_bundles_to_db()
        sync_bag_to_db(bag, "dags-folder", None)
    run = bag.get_dag(dag_id).test()
    instances = run.get_task_instances()
    outcome = {
        "state": str(run.state),
        "tasks": {f"{ti.task_id}[{ti.map_index}]": str(ti.state) for ti in instances},
        "tries": {ti.task_id: ti.try_number for ti in instances},
        "xcom": {task: instances[0].xcom_pull(task_ids=task) for task in xcom_tasks},
    }
    print("DAG_TEST_OUTCOME " + json.dumps(outcome, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
