"""Misses a generated DAG's SLA on Airflow 2.x, and runs what Airflow does about it.

    python run_sla_miss.py <dag_folder> <dag_id>

1. The DAG runs once with dag.test() for a logical date far in the past (2026-01-01): its
   task succeeds, and every later daily run it should have had is now overdue.
2. The DAG processor's step: DagFileProcessor.manage_slas(), Airflow's own, which the
   scheduler asks of the processor for each DAG with SLAs. It records a SlaMiss for each
   overdue run of each task with an `sla`, then calls the DAG's sla_miss_callback once.

Prints SLA_OUTCOME {...} with the SLA misses recorded and whether they were notified.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime


def main(folder: str, dag_id: str) -> None:
    from airflow.dag_processing.processor import DagFileProcessor
    from airflow.models import SlaMiss
    from airflow.models.dagbag import DagBag
    from airflow.utils.session import create_session
    from sqlalchemy import select

    bag = DagBag(dag_folder=folder, include_examples=False)
    if bag.import_errors:
        raise SystemExit(f"import errors: {bag.import_errors}")
    run = bag.get_dag(dag_id).test(execution_date=datetime(2026, 1, 1, tzinfo=UTC))
    with create_session() as session:
        DagFileProcessor.manage_slas(folder, dag_id, session=session)
    with create_session() as session:
        misses = list(session.scalars(select(SlaMiss).where(SlaMiss.dag_id == dag_id)))
        outcome = {
            "run_state": str(run.state),
            "misses": len(misses),
            "tasks": sorted({m.task_id for m in misses}),
            "first": min(m.execution_date for m in misses).isoformat()
            if misses
            else None,
            "notified": all(m.notification_sent for m in misses),
        }
    print("SLA_OUTCOME " + json.dumps(outcome))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
