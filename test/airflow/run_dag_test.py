"""Runs one DAG with dag.test() in this process and prints the outcome as JSON.

The tests call it in a fresh process per run: Airflow 3.0's in-process execution API keeps
state between dag.test() calls in one interpreter, so runs must not share one.

    python run_dag_test.py <dag_folder> <dag_id> [<task_id whose XCom to report> ...]
"""

from __future__ import annotations

import json
import sys

from dag_store import store_dags


def main(folder: str, dag_id: str, xcom_tasks: list[str]) -> None:
    # Stored as the DAG processor stores them, on every version: 3.1's dag.test() runs the
    # serialized DAG, and 3.0 refuses outlets whose assets no parse has made active
    # (AirflowInactiveAssetInInletOrOutletException).
    bag = store_dags(folder)
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
