"""Runs a producer DAG with dag.test() beside the DAGs scheduled on its assets, and prints the
asset events it recorded and the DAGs those events queued.

    python run_asset_event.py <dag_folder> <producer_dag_id>

1. The DAG processor's step: every DAG of the folder is written to the metadata DB (which
   records the assets each one is scheduled on) and unpaused, since Airflow queues no run
   for a paused DAG; nothing is queued for them yet.
2. The producer runs with dag.test(); on success each task's outlets are recorded as asset
   (Dataset) events by Airflow itself, which queue the DAGs scheduled on them.

Prints ASSET_EVENT_OUTCOME {state, events: [{uri, dag_id, task_id}], queued: [dag_id]}.
"""

from __future__ import annotations

import json
import sys

from dag_store import airflow_version, store_dags


def main(folder: str, producer: str) -> None:
    from airflow.models.dag import DagModel
    from airflow.utils.session import create_session

    version = airflow_version()
    bag = store_dags(folder)
    if version >= (3, 0):
        from airflow.models.asset import AssetDagRunQueue as Queue
        from airflow.models.asset import AssetEvent as Event
    else:
        from airflow.models.dataset import DatasetDagRunQueue as Queue
        from airflow.models.dataset import DatasetEvent as Event
    with create_session() as session:
        for model in session.query(DagModel).filter(DagModel.dag_id.in_(bag.dag_ids)):
            model.is_paused = False
        session.query(Queue).filter(Queue.target_dag_id.in_(bag.dag_ids)).delete()

    run = bag.get_dag(producer).test()
    with create_session() as session:
        events = [
            {
                "uri": (event.asset if version >= (3, 0) else event.dataset).uri,
                "dag_id": event.source_dag_id,
                "task_id": event.source_task_id,
            }
            for event in session.query(Event)
            .filter(Event.source_dag_id == producer, Event.source_run_id == run.run_id)
            .order_by(Event.id)
        ]
        queued = sorted(
            {
                row.target_dag_id
                for row in session.query(Queue).filter(
                    Queue.target_dag_id.in_(bag.dag_ids)
                )
            }
        )
    outcome = {"state": str(run.state), "events": events, "queued": queued}
    print("ASSET_EVENT_OUTCOME " + json.dumps(outcome))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
