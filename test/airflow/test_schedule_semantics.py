"""The same spec reads the same time on every Airflow version (issue 10, point 4), with or
without assets (issue 10, point 12: a cron or every with assets runs on either, and its timed
runs read what the same schedule without assets reads).

Airflow 3 turns a cron string given as `schedule=` into a CronTriggerTimetable (its
`[scheduler] create_cron_data_intervals` defaults to False), Airflow 2 into a
CronDataIntervalTimetable: the same spec's run would read a different hour. dagwright writes
the timetable out. Each case's expected run is written once, for every version: the first
scheduled run after start_date (catchup on), created as the scheduler creates it. What the
run reads is taken from its task context (run_scheduled_run.py), so the task's own command
names no date: on 3.x validate refuses `{{ ds }}` on a schedule with assets, whose
asset-triggered runs have no logical date.
"""

from __future__ import annotations

import pytest
from airflow_target import IS_AIRFLOW_3, VERSION
from test_dag_runs import generate, in_fresh_process

SPEC = """\
apiVersion: dagwright/v1
kind: Pipeline
name: {name}
schedule: {schedule}
start_date: 2026-01-01
timezone: {timezone}
catchup: true
tasks:
  work: {{type: bash, command: "echo {{{{ run_id }}}}"}}
"""

# name, schedule, timezone, then the run: timetable, logical date, interval start and end,
# ds, and when the scheduler creates it (the end of the interval, or the trigger time)
# fmt: off
CASES = [
    ("hourly_preset", '"@hourly"', "UTC", "CronDataIntervalTimetable",
     "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-01-01T01:00:00+00:00", "2026-01-01", "2026-01-01T01:00:00+00:00"),
    ("daily_cron_paris", '"0 6 * * *"', "Europe/Paris", "CronDataIntervalTimetable",
     "2026-01-01T05:00:00+00:00", "2026-01-01T05:00:00+00:00", "2026-01-02T05:00:00+00:00", "2026-01-01", "2026-01-02T05:00:00+00:00"),
    ("every_hour", "{every: 1h}", "UTC", "DeltaDataIntervalTimetable",
     "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-01-01T01:00:00+00:00", "2026-01-01", "2026-01-01T01:00:00+00:00"),
    ("hourly_trigger", '{cron: "@hourly", semantics: trigger}', "UTC", "CronTriggerTimetable",
     "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-01-01", "2026-01-01T00:00:00+00:00"),
]
if VERSION >= (2, 11):
    CASES.append(
        ("every_hour_trigger", "{every: 1h, semantics: trigger}", "UTC", "DeltaTriggerTimetable",
         "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-01-01", "2026-01-01T00:00:00+00:00")
    )
# fmt: on

# Each time schedule again with assets: the timed run is the one it has without them.
OR_TIME = "AssetOrTimeSchedule" if IS_AIRFLOW_3 else "DatasetOrTimeSchedule"
WITH_ASSETS = {
    "daily_cron_paris": '{cron: "0 6 * * *", assets: ["s3://b/a"]}',
    "every_hour": '{every: 1h, assets: {any: ["s3://b/a", "s3://b/c"]}}',
    "hourly_trigger": '{cron: "@hourly", semantics: trigger, assets: ["s3://b/a"]}',
    "every_hour_trigger": '{every: 1h, semantics: trigger, assets: ["s3://b/a"]}',
}
CASES += [
    (f"{name}_or_assets", WITH_ASSETS[name], timezone, f"{OR_TIME}({timetable})", *run)
    for name, _, timezone, timetable, *run in list(CASES)
    if name in WITH_ASSETS
]


@pytest.fixture(scope="module")
def scheduled_runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    specs = tmp_path_factory.mktemp("specs")
    dags = tmp_path_factory.mktemp("dags")
    for name, schedule, timezone, *_ in CASES:
        text = SPEC.format(name=name, schedule=schedule, timezone=timezone)
        (specs / f"{name}.yaml").write_text(text)
    generate(specs, dags)
    return in_fresh_process("run_scheduled_run.py", "SCHEDULED_RUNS", str(dags))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_first_scheduled_run_reads_the_same_time_on_every_version(
    scheduled_runs: dict, case: tuple
) -> None:
    name, _, _, timetable, *want = case
    run = scheduled_runs[name]
    assert run["timetable"] == timetable
    fields = (
        "logical_date",
        "data_interval_start",
        "data_interval_end",
        "ds",
        "run_after",
    )
    assert [run[field] for field in fields] == want, run
