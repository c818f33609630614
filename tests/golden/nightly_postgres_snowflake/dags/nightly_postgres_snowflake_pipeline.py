"""The pipeline, one task per run step of the pattern.

Project: Nightly Postgres Snowflake.

Steps: extract -> land_raw -> spark_transform -> quality_gate -> load_warehouse -> dbt_build.

Each task calls the same module that `make run` runs
(`<module>.main([..., "--ds", ds])`), so the DAG and the local pipeline are one shape.
The schedule is a data-interval timetable: the run that starts after an interval ends processes that
interval, and `ds` is the interval's start date (the nightly run of Jan 2 processes Jan 1). Locally
(`DATAFORGE_ENV=local`, the default) every task runs in-process, so
`airflow dags test nightly_postgres_snowflake_pipeline` works with no external system. In production
(`DATAFORGE_ENV=prod`) Spark steps are submitted to emr_serverless
by the operator that `orchestration.spark_operator` builds (imported only then,
so this file parses without provider packages), and dbt builds its `prod` target.
"""

from __future__ import annotations

import importlib
import logging
import os
from datetime import date, datetime, timedelta
from typing import Any

from airflow.sdk import CronDataIntervalTimetable, Param, dag, get_current_context, task

PROJECT = "nightly_postgres_snowflake"
ENV = os.environ.get("DATAFORGE_ENV", "local")
SCHEDULE = "0 2 * * *"
# Presets that name no recurring interval (they are given to Airflow as they stand).
NO_INTERVAL = ("@once", "@continuous")
# The run steps, in order: (task id, module under the package, fixed arguments, DAG params it accepts,
# engine, timeout in minutes). Generated from the pattern manifest and the parts that declare the steps.
STEPS: list[tuple[str, str, list[str], list[str], str, int]] = [
    ("extract", "extract", ["--only", "extract"], ["rows"], "python", 30),
    ("land_raw", "extract", ["--only", "land"], [], "python", 30),
    ("spark_transform", "transform.job", [], [], "spark", 30),
    ("quality_gate", "quality.gate", [], [], "python", 30),
    ("load_warehouse", "load", [], [], "python", 30),
    ("dbt_build", "dbt_build", [], [], "dbt", 45),
]

log = logging.getLogger(__name__)


def notify_failure(context: dict[str, Any]) -> None:
    """on_failure_callback: log which task failed for which run (hook your alerting in here)."""
    ti = context.get("task_instance")
    log.error(
        "%s failed: task=%s run=%s try=%s error=%s",
        PROJECT,
        getattr(ti, "task_id", "?"),
        context.get("run_id"),
        getattr(ti, "try_number", "?"),
        context.get("exception"),
    )


DEFAULT_ARGS = {
    "owner": "data-engineering",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=1),
    "on_failure_callback": notify_failure,
}


def timetable(schedule: str) -> CronDataIntervalTimetable | str:
    """The schedule as data intervals (UTC): a run starts when its interval ends and processes that interval.

    Airflow 3 reads a bare cron string as a trigger timetable, whose runs have no interval to process ("yesterday"
    would be the run's own day); this keeps the interval semantics explicit.
    """
    return schedule if schedule in NO_INTERVAL else CronDataIntervalTimetable(schedule, timezone="UTC")


def run_date(context: dict[str, Any]) -> str:
    """The date this run processes: the `ds` param when given, else the run's logical date, which a data-interval
    timetable sets to the start of the interval (a manual run without one: its interval's start, else run_after)."""
    params = context.get("params") or {}
    if params.get("ds"):
        return str(date.fromisoformat(str(params["ds"])))
    if context.get("ds"):
        return str(context["ds"])
    if context.get("data_interval_start"):
        return context["data_interval_start"].date().isoformat()
    dag_run = context.get("dag_run")
    when = getattr(dag_run, "run_after", None) or datetime.now()
    return when.date().isoformat()


def step_argv(args: list[str], options: list[str], params: dict[str, Any], ds: str) -> list[str]:
    """The command line of one step: its fixed arguments, the params it accepts that are set, then --ds."""
    argv = list(args)
    for option in options:
        if params.get(option) is not None:
            argv += [f"--{option}", str(params[option])]
    return [*argv, "--ds", ds]


def run_step(module: str, args: list[str], options: list[str]) -> None:
    """Run one step in-process: `main(argv)` of the step's module, as `make run` does."""
    context = get_current_context()
    argv = step_argv(args, options, context.get("params") or {}, run_date(context))
    code = importlib.import_module(f"{PROJECT}.{module}").main(argv)
    if code:
        raise RuntimeError(f"{module} exited with {code} for {argv}")


@dag(
    dag_id=f"{PROJECT}_pipeline",
    description="postgres" + " -> " + "snowflake" + ": " + ", ".join(step[0] for step in STEPS),
    schedule=timetable(SCHEDULE),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    dagrun_timeout=timedelta(hours=4),
    tags=["dataforge", "postgres", "snowflake", "emr_serverless"],
    params={
        "ds": Param(None, type=["null", "string"], description="process this date (YYYY-MM-DD) instead of the run's"),
        "rows": Param(None, type=["null", "integer"], minimum=1, description="sample rows per entity (local only)"),
    },
    doc_md=__doc__,
)
def pipeline() -> None:
    """Build the task graph: one task per step, chained in the pattern's order."""
    previous = None
    for task_id, module, args, options, engine, minutes in STEPS:
        timeout = timedelta(minutes=minutes)
        if ENV == "prod" and engine == "spark":
            from nightly_postgres_snowflake.orchestration.spark_operator import spark_operator

            current = spark_operator(task_id, module, [*args, "--ds", "{{ params.ds or ds }}"], timeout)
        else:
            step = task(task_id=task_id, execution_timeout=timeout, doc_md=f"Runs `{PROJECT}.{module}.main`.")
            current = step(run_step)(module, args, options)
        if previous is not None:
            previous >> current
        previous = current


pipeline()
