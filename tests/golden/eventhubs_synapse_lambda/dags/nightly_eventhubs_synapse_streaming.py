"""The stream, supervised: deploy the streaming job, watch its progress, close each day, then build the models.

Project: Nightly Eventhubs Synapse.

Three DAGs, linked by the Asset `nightly_eventhubs_synapse_curated` (the curated tables of one closed day):

- `nightly_eventhubs_synapse_stream` deploys the job. Steps: the pattern's run steps up to the streaming job
  (generate_events, stream_process). Scheduled `@continuous`, one active run at a time.
  In production the Spark step is submitted to synapse_spark by `orchestration.spark_operator` and the task
  waits on the job for as long as it runs,
  so the running task *is* the lock: Airflow never starts a second copy while one runs. When the job stops (it
  failed, the platform's time limit ended it, or the task's timeout cancelled it) the task retries, then the run
  ends and the next run starts it again; the job resumes from its checkpoint, so a restart loses and repeats nothing.
- `nightly_eventhubs_synapse_stream_watch`, every 15 minutes: `check_progress` fails (and alerts through
  `notify_failure`) when the newest committed micro-batch under the checkpoint root is older than the Variable
  `STREAM_MAX_LAG_MINUTES`; `compact_closed_day` rewrites the closed day's small Parquet files of each entity as one
  file (a day is closed `STREAM_CLOSE_AFTER_MINUTES` after midnight UTC: the watermark and a margin); then
  `publish_closed_day` records the day under `<curated_root>/_closed/` and emits the Asset with `{"ds": day}`, once
  per day (it is skipped when the day was published before, unless the `ds` param asks for that day again).
  Checkpoint metadata is NOT pruned here: Spark keeps its own (`spark.sql.streaming.minBatchesToRetain`), and
  deleting offsets or commits by hand can make a restart reprocess or skip data.
- `nightly_eventhubs_synapse_models` runs the steps after the streaming job (quality_gate, batch_recompute, dbt_build) for
  the day the Asset event names, as soon as it is published: scheduled on the Asset rather than a clock, it never
  builds a day that is not complete and compacted.
  In this lambda project it is the batch layer, and runs on the stated schedule (`0 2 * * *`) for the day
  before the run instead: `batch_recompute` counts that day again from the raw event archive, late events
  included, and dbt's serving view then serves the day from the batch result. An event that arrives after its day
  was recomputed is archived, and counted when the day is recomputed again (trigger the DAG with the `ds` param).

Every in-process task calls the same module that `make run` runs (`<module>.main([..., "--ds", ds])`). Locally
(`DATAFORGE_ENV=local`, the default) the streaming job reads the local event files with an available-now trigger
and ends, so `airflow dags test` of the three DAGs, in this order, runs the pipeline with no external system.
"""

from __future__ import annotations

import importlib
import logging
import os
from datetime import date, datetime, timedelta
from typing import Any

from airflow.sdk import Asset, Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

PROJECT = "nightly_eventhubs_synapse"
ENV = os.environ.get("DATAFORGE_ENV", "local")
SCHEDULE = "@continuous"  # the stream always runs; the stated schedule is the batch layer's
BATCH_SCHEDULE = "0 2 * * *"
WATCH_SCHEDULE = "*/15 * * * *"
# The run steps, in order: (task id, module under the package, fixed arguments, DAG params it accepts,
# engine, timeout in minutes). Generated from the pattern manifest and the parts that declare the steps.
STEPS: list[tuple[str, str, list[str], list[str], str, int]] = [
    ("generate_events", "stream.events", [], ["rows"], "python", 30),
    ("stream_process", "stream.job", [], [], "spark", 30),
    ("quality_gate", "quality.gate", [], [], "python", 30),
    ("batch_recompute", "batch_layer.recompute", [], [], "spark", 30),
    ("dbt_build", "dbt_build", [], [], "dbt", 45),
]
# The streaming job (`stream.job`) and the steps before it deploy the stream; the steps after it build on it.
_JOB = next(i for i, step in enumerate(STEPS) if step[1] == "stream.job")
STREAM_STEPS, MODEL_STEPS = STEPS[: _JOB + 1], STEPS[_JOB + 1 :]
# How long one deployment of the job may run before the task cancels it and the next run restarts it (Dataproc
# Serverless batches live at most 14 days, EMR Serverless job runs as long as their execution timeout allows).
DEPLOY_TIMEOUT = timedelta(days=7)
# The curated tables of one closed day; the event's extra names the day: {"ds": "YYYY-MM-DD"}.
CURATED = Asset(name=f"{PROJECT}_curated", uri=f"dataforge://{PROJECT}/curated")
# Settings of the watch, read as Airflow Variables when a task runs (never when this file is parsed).
MAX_LAG = "{{ var.value.get('STREAM_MAX_LAG_MINUTES', '30') }}"
CLOSE_AFTER = "{{ var.value.get('STREAM_CLOSE_AFTER_MINUTES', '60') }}"
# The day a templated (Spark) step of the models gets: the `ds` param, else the triggering Asset event's day.
# The day a templated (Spark) step of the batch layer gets: the `ds` param, else the day before the run.
MODELS_DAY = "{{ params.ds or macros.ds_add(dag_run.run_after.strftime('%Y-%m-%d'), -1) }}"

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
PARAMS = {
    "ds": Param(None, type=["null", "string"], description="process this date (YYYY-MM-DD) instead of the run's"),
    "rows": Param(None, type=["null", "integer"], minimum=1, description="sample events per entity (local only)"),
}


def run_after(context: dict[str, Any]) -> datetime:
    """When the run was due (every run has one; an asset-triggered or manual run may have no logical date)."""
    dag_run = context.get("dag_run")
    return getattr(dag_run, "run_after", None) or datetime.now()


def explicit_day(context: dict[str, Any]) -> str | None:
    """The `ds` param, when the run was asked for one day."""
    params = context.get("params") or {}
    return str(date.fromisoformat(str(params["ds"]))) if params.get("ds") else None


def closed_day(context: dict[str, Any], close_after_minutes: str) -> str:
    """The day the watch closes: the `ds` param, else the newest day ended `close_after_minutes` ago."""
    from nightly_eventhubs_synapse.orchestration.stream_watch import closed_day as newest_closed

    return explicit_day(context) or newest_closed(run_after(context), timedelta(minutes=float(close_after_minutes)))


def models_day(context: dict[str, Any]) -> str:
    """The day the models build: the `ds` param, else the day of the Asset event that triggered the run."""
    for events in (context.get("triggering_asset_events") or {}).values():
        for event in reversed(list(events)):
            if (event.extra or {}).get("ds"):
                return explicit_day(context) or str(event.extra["ds"])
    return explicit_day(context) or (run_after(context).date() - timedelta(days=1)).isoformat()


def stream_day(context: dict[str, Any]) -> str:
    """The day the stream DAG's steps are given: the `ds` param, else the run's date (local events are made for it)."""
    return explicit_day(context) or run_after(context).date().isoformat()


def step_argv(args: list[str], options: list[str], params: dict[str, Any], ds: str) -> list[str]:
    """The command line of one step: its fixed arguments, the params it accepts that are set, then --ds."""
    argv = list(args)
    for option in options:
        if params.get(option) is not None:
            argv += [f"--{option}", str(params[option])]
    return [*argv, "--ds", ds]


def run_step(module: str, args: list[str], options: list[str], dag_kind: str) -> None:
    """Run one step in-process: `main(argv)` of the step's module, as `make run` does."""
    context = get_current_context()
    ds = models_day(context) if dag_kind == "models" else stream_day(context)
    argv = step_argv(args, options, context.get("params") or {}, ds)
    code = importlib.import_module(f"{PROJECT}.{module}").main(argv)
    if code:
        raise RuntimeError(f"{module} exited with {code} for {argv}")


def chain_steps(steps: list[tuple[str, str, list[str], list[str], str, int]], dag_kind: str, day: str) -> Any:
    """One task per step, chained in order; Spark steps go to the cloud's engine in production. Returns the last."""
    previous = None
    for task_id, module, args, options, engine, minutes in steps:
        if ENV == "prod" and engine == "spark":
            from nightly_eventhubs_synapse.orchestration.spark_operator import spark_operator

            timeout = DEPLOY_TIMEOUT if dag_kind == "stream" else timedelta(minutes=minutes)
            current = spark_operator(task_id, module, [*args, "--ds", day], timeout)
        else:
            doc = f"Runs `{PROJECT}.{module}.main`."
            step = task(task_id=task_id, execution_timeout=timedelta(minutes=minutes), doc_md=doc)
            current = step(run_step)(module, args, options, dag_kind)
        if previous is not None:
            previous >> current
        previous = current
    return previous


@dag(
    dag_id=f"{PROJECT}_stream",
    description="deploy the streaming job: " + ", ".join(step[0] for step in STREAM_STEPS),
    schedule=SCHEDULE,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,  # one run at a time: never two copies of the job on one checkpoint
    default_args=DEFAULT_ARGS,
    tags=["dataforge", "streaming", "eventhubs", "synapse_spark"],
    params=PARAMS,
    doc_md=__doc__,
)
def stream() -> None:
    """Deploy the streaming job (the steps up to it)."""
    chain_steps(STREAM_STEPS, "stream", "{{ params.ds or dag_run.run_after.strftime('%Y-%m-%d') }}")


@task(task_id="check_progress", execution_timeout=timedelta(minutes=10))
def check_progress(max_lag_minutes: str) -> float:
    """Fail when the newest committed micro-batch is older than `max_lag_minutes`; return its age in minutes."""
    from nightly_eventhubs_synapse.config import load_settings
    from nightly_eventhubs_synapse.orchestration.stream_watch import checkpoint_root, progress_age

    root = checkpoint_root(load_settings())
    age = progress_age(root)
    if age is None:
        raise RuntimeError(f"no micro-batch has committed under {root}: is {PROJECT}_stream running?")
    minutes = age.total_seconds() / 60
    if minutes > float(max_lag_minutes):
        raise RuntimeError(f"the newest micro-batch committed {minutes:.0f} min ago (limit {max_lag_minutes} min)")
    log.info("stream healthy: newest micro-batch committed %.1f min ago", minutes)
    return minutes


@task(task_id="compact_closed_day", execution_timeout=timedelta(hours=1))
def compact_closed_day(close_after_minutes: str) -> dict[str, Any]:
    """Rewrite the closed day's small files of every entity as one file; return the day and the files replaced."""
    from nightly_eventhubs_synapse.config import load_settings
    from nightly_eventhubs_synapse.orchestration.stream_watch import compact_day, partition
    from nightly_eventhubs_synapse.schema import ENTITIES

    day = closed_day(get_current_context(), close_after_minutes)
    settings = load_settings()
    return {"ds": day, "compacted": {name: compact_day(partition(settings, name, day)) for name in ENTITIES}}


@task(task_id="publish_closed_day", outlets=[CURATED], execution_timeout=timedelta(minutes=10))
def publish_closed_day(closed: dict[str, Any]) -> str:
    """Record the closed day and emit the Asset for it, once per day (an explicit `ds` publishes again)."""
    from nightly_eventhubs_synapse.config import load_settings
    from nightly_eventhubs_synapse.orchestration.stream_watch import is_published, mark_published

    context = get_current_context()
    settings, day = load_settings(), closed["ds"]
    if is_published(settings, day) and not explicit_day(context):
        raise AirflowSkipException(f"{day} was published before")
    mark_published(settings, day, closed["compacted"])
    context["outlet_events"][CURATED].extra = {"ds": day}
    return day


@dag(
    dag_id=f"{PROJECT}_stream_watch",
    description="health of the streaming job, compaction of the closed day, the curated Asset",
    schedule=WATCH_SCHEDULE,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["dataforge", "streaming", "maintenance"],
    params={"ds": PARAMS["ds"]},
    doc_md=__doc__,
)
def stream_watch() -> None:
    """Check progress, then close the day: compact it and publish the Asset."""
    healthy = check_progress(MAX_LAG)
    closed = compact_closed_day(CLOSE_AFTER)
    healthy >> closed
    publish_closed_day(closed)


@dag(
    dag_id=f"{PROJECT}_models",
    description="the closed day's models: " + ", ".join(step[0] for step in MODEL_STEPS),
    schedule=BATCH_SCHEDULE,  # the batch layer: the day before the run (or the `ds` param)
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    dagrun_timeout=timedelta(hours=4),
    tags=["dataforge", "models", "synapse"],
    params={"ds": PARAMS["ds"]},
    doc_md=__doc__,
)
def models() -> None:
    """The steps after the streaming job, for the day the Asset event names."""
    chain_steps(MODEL_STEPS, "models", MODELS_DAY)


stream()
stream_watch()
models()
