"""Misses a generated DAG's deadline on Airflow 3.1+, and runs what Airflow does about it.

    python run_deadline_miss.py <dag_folder> <dag_id>

1. The DAG is stored as the DAG processor would, and a run is created the way the scheduler
   creates one (the serialized DAG's create_dagrun, queued), for the first interval of 2026
   (logical date 2026-01-01, queued at its scheduled time 2026-01-02: the clock is set
   there while the run is created), then left running: its deadline (queued at + interval
   for an interval schedule, logical date + interval otherwise) is long gone. Airflow creates the
   Deadline row with the run. (dag.test() is not used: on 3.1.8, a successful dag.test()
   run trips over Deadline.prune_deadlines comparing a None end_date, apache/airflow#58949.)
2. The scheduler's step: its loop selects every deadline past due with no callback state
   and calls Deadline.handle_miss(), which queues a DeadlineCallbackTrigger. The loop
   itself cannot be called alone (it is inline in SchedulerJobRunner._run_scheduler_loop),
   so these few lines repeat its query; handle_miss is Airflow's own.
3. The triggerer's step: the queued trigger, rebuilt from its row as the triggerer does, is
   run to completion, and each event is handed to Deadline.handle_callback_event().

Prints DEADLINE_OUTCOME {...} with the deadline's state and the trigger's events.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from unittest import mock


def main(folder: str, dag_id: str) -> None:
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.models import DagRun, Deadline
    from airflow.models.dagbag import DagBag, sync_bag_to_db
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.models.trigger import Trigger
    from airflow.utils.module_loading import import_string
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunTriggeredByType, DagRunType
    from sqlalchemy import select

    bag = DagBag(dag_folder=folder, include_examples=False)
    if bag.import_errors:
        raise SystemExit(f"import errors: {bag.import_errors}")
    DagBundlesManager().sync_bundles_to_db()
    sync_bag_to_db(bag, "dags-folder", None)
    from airflow._shared.timezones import timezone

    logical_date = datetime(2026, 1, 1, tzinfo=UTC)
    scheduled = logical_date + timedelta(days=1)
    with (
        create_session() as session,
        mock.patch.object(timezone, "utcnow", return_value=scheduled),
    ):
        dag = SerializedDagModel.get_dag(dag_id, session=session)
        run = dag.create_dagrun(
            run_id=f"late_{datetime.now(UTC):%Y%m%dT%H%M%S%f}",
            logical_date=logical_date,
            data_interval=(logical_date, scheduled),
            run_after=scheduled,
            conf=None,
            run_type=DagRunType.SCHEDULED,
            state=DagRunState.QUEUED,
            triggered_by=DagRunTriggeredByType.TIMETABLE,
            session=session,
        )
    with create_session() as session:
        run = session.merge(run)
        run.set_state(DagRunState.RUNNING)
        run_state = str(run.state)
        run_id = run.run_id

    with create_session() as session:
        missed = list(
            session.scalars(
                select(Deadline)
                .where(Deadline.deadline_time < datetime.now(UTC))
                .where(Deadline.callback_state.is_(None))
            )
        )
        missed = [d for d in missed if d.dagrun.dag_id == dag_id]
        for deadline in missed:
            deadline.handle_miss(session)

    events: list[dict] = []
    with create_session() as session:
        queued = session.scalars(
            select(Deadline)
            .join(DagRun)
            .where(DagRun.dag_id == dag_id, Deadline.trigger_id.is_not(None))
        )
        for deadline in queued:
            row = session.get(Trigger, deadline.trigger_id)
            trigger = import_string(row.classpath)(**row.kwargs)

            async def drain(trigger=trigger) -> list:
                return [event async for event in trigger.run()]

            for event in asyncio.run(drain()):
                events.append(event.payload)
                deadline.handle_callback_event(event, session)

    with create_session() as session:
        deadlines = [
            {
                "deadline_time": str(d.deadline_time),
                "callback_state": str(d.callback_state),
                "callback": d.callback.path,
            }
            for d in session.scalars(
                select(Deadline).join(DagRun).where(DagRun.dag_id == dag_id)
            )
        ]
    outcome = {
        "run_state": run_state,
        "run_id": run_id,
        "missed": len(missed),
        "deadlines": deadlines,
        "events": events,
    }
    print("DEADLINE_OUTCOME " + json.dumps(outcome, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
