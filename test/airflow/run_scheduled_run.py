"""Creates the first scheduled run of each DAG in a folder the way the scheduler does, and
prints what the run reads as its time.

    python run_scheduled_run.py <dag_folder>

1. The DAG processor's step: the DagBag is written to the metadata DB, which stores each
   serialized DAG and fills the DAG's row with its next run, as computed by the DAG's
   timetable (next_dagrun, next_dagrun_data_interval_*, next_dagrun_create_after).
2. The scheduler's step: the serialized DAG is read back and a SCHEDULED, QUEUED run is
   created from that row, as SchedulerJobRunner._create_dag_runs does.
3. What a task of that run sees: on 2.x the task instance's own template context; on 3.x the
   context is built in the task SDK's runner from the run's logical date (ds is
   logical_date.strftime("%Y-%m-%d") there), so ds is formatted the same way.

Prints SCHEDULED_RUNS {dag_id: {timetable, logical_date, data_interval_start, data_interval_end,
run_after, ds}} with datetimes in ISO 8601, UTC.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC

from dag_store import airflow_version, store_dags


def iso(value) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def timetable_name(timetable) -> str:
    """The timetable's class; an assets-or-time one with the time timetable it wraps."""
    name = type(timetable).__name__
    inner = getattr(timetable, "timetable", None)
    return name if inner is None else f"{name}({type(inner).__name__})"


def main(folder: str) -> None:
    from airflow.models.dag import DagModel
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunType

    version = airflow_version()
    bag = store_dags(folder)
    if version >= (3, 0):
        from airflow.utils.types import DagRunTriggeredByType

    runs = {}
    for dag_id in sorted(bag.dag_ids):
        with create_session() as session:
            model = session.get(DagModel, dag_id)
            dag = SerializedDagModel.get_dag(dag_id, session=session)
            interval = model.next_dagrun_data_interval
            if version >= (3, 0):
                run = dag.create_dagrun(
                    run_id=dag.timetable.generate_run_id(
                        run_type=DagRunType.SCHEDULED,
                        run_after=model.next_dagrun_create_after,
                        data_interval=interval,
                    ),
                    logical_date=model.next_dagrun,
                    run_after=model.next_dagrun_create_after,
                    data_interval=interval,
                    conf=None,
                    run_type=DagRunType.SCHEDULED,
                    triggered_by=DagRunTriggeredByType.TIMETABLE,
                    state=DagRunState.QUEUED,
                    session=session,
                )
                logical_date = run.logical_date
                ds = logical_date.strftime("%Y-%m-%d")
            else:
                run = dag.create_dagrun(
                    run_type=DagRunType.SCHEDULED,
                    execution_date=model.next_dagrun,
                    state=DagRunState.QUEUED,
                    data_interval=interval,
                    external_trigger=False,
                    session=session,
                )
                logical_date = run.execution_date
                [ti] = run.get_task_instances(session=session)[:1]
                ti.refresh_from_task(dag.get_task(ti.task_id))
                ds = ti.get_template_context(session=session)["ds"]
            runs[dag_id] = {
                "timetable": timetable_name(dag.timetable),
                "logical_date": iso(logical_date),
                "data_interval_start": iso(run.data_interval_start),
                "data_interval_end": iso(run.data_interval_end),
                "run_after": iso(model.next_dagrun_create_after),
                "ds": ds,
            }
    print("SCHEDULED_RUNS " + json.dumps(runs))


if __name__ == "__main__":
    main(sys.argv[1])
