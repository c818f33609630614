"""The schedule is a data-interval timetable: each run processes the interval that ended when it started."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime

import pytest

DAG_ID = "nightly_postgres_snowflake_pipeline"


@pytest.fixture(scope="module")
def dag_module(dag_bag):
    """The DAG file as a module, for its `run_date` (the DagBag has already checked that it parses)."""
    path = dag_bag.dags[DAG_ID].fileloc
    spec = importlib.util.spec_from_file_location("dag_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def next_run(dag, after: datetime):
    """What the scheduler computes for the run after the interval that started at `after` (no catch-up limit).

    The scheduler reads the DAG's timetable as Airflow's core class of the same name, built from the same
    expression and time zone.
    """
    from airflow.timetables.base import DataInterval, TimeRestriction
    from airflow.timetables.interval import CronDataIntervalTimetable

    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable", type(dag.timetable)
    core = CronDataIntervalTimetable(dag.timetable.expression, dag.timetable.timezone)
    import pendulum  # Airflow's timetables compute with pendulum datetimes

    last = core.infer_manual_data_interval(run_after=pendulum.instance(after))
    return core.next_dagrun_info(
        last_automated_data_interval=DataInterval(last.start, last.end),
        restriction=TimeRestriction(earliest=None, latest=None, catchup=True),
    )


def test_the_dag_schedules_data_intervals(dag_bag, dag_module):
    dag = dag_bag.dags[DAG_ID]
    if dag_module.SCHEDULE in dag_module.NO_INTERVAL:  # set so with --set schedule=...: Airflow's own timetable
        assert type(dag.timetable).__name__ != "CronDataIntervalTimetable"
        return
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == dag_module.SCHEDULE or dag_module.SCHEDULE.startswith("@")


def test_a_run_processes_the_interval_before_it(dag_bag, dag_module):
    dag = dag_bag.dags[DAG_ID]
    if dag_module.SCHEDULE in dag_module.NO_INTERVAL:
        return  # no interval to process; the test above checks the timetable
    info = next_run(dag, datetime(2024, 1, 2, 0, 0, tzinfo=UTC))
    start, end = info.data_interval.start, info.data_interval.end
    assert start < end <= info.run_after, "a run starts once its interval has ended"
    assert info.logical_date == start
    # what the tasks receive: `ds` is the logical date, the interval's start
    context = {"params": {}, "ds": info.logical_date.date().isoformat(), "data_interval_start": start}
    assert dag_module.run_date(context) == start.date().isoformat()
    assert dag_module.run_date({"params": {}, "data_interval_start": start}) == start.date().isoformat()
    if info.run_after.date() > start.date():
        # a nightly run processes the day before it ("yesterday's" rows)
        assert dag_module.run_date(context) < info.run_after.date().isoformat()


def test_the_nightly_run_of_jan_2_processes_jan_1(dag_module):
    """The plan's example with a nightly schedule, whatever this project's schedule is."""
    from airflow.timetables.base import DataInterval, TimeRestriction
    from airflow.timetables.interval import CronDataIntervalTimetable

    nightly = CronDataIntervalTimetable("0 2 * * *", "UTC")
    last = DataInterval(datetime(2023, 12, 31, 2, tzinfo=UTC), datetime(2024, 1, 1, 2, tzinfo=UTC))
    info = nightly.next_dagrun_info(
        last_automated_data_interval=last, restriction=TimeRestriction(earliest=None, latest=None, catchup=True)
    )
    assert info.run_after == datetime(2024, 1, 2, 2, tzinfo=UTC)
    start = info.data_interval.start
    context = {"params": {}, "ds": info.logical_date.date().isoformat(), "data_interval_start": start}
    assert dag_module.run_date(context) == "2024-01-01"
    assert dag_module.run_date({**context, "params": {"ds": "2023-06-30"}}) == "2023-06-30", "an explicit ds wins"
