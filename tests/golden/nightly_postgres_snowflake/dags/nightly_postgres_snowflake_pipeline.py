"""Nightly Postgres Snowflake pipeline: extract -> land_raw -> spark_transform -> quality_gate -> dbt_build.

Locally (`DATAFORGE_ENV=local`, the default) every task runs the project's Python modules and dbt in-process, so
`airflow dags test nightly_postgres_snowflake_pipeline` works with no external system. In production
(`DATAFORGE_ENV=prod`) the Spark step is submitted to emr_serverless through its provider operator (imported
only then, so this file parses without provider packages) and dbt builds the `prod` target.
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from airflow.sdk import Param, dag, get_current_context, task

PROJECT = "nightly_postgres_snowflake"
PROJECT_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ.get("DATAFORGE_ENV", "local")
SPARK_PLATFORM = os.environ.get("DATAFORGE_SPARK_PLATFORM", "emr_serverless")
SCHEDULE = "0 2 * * *"

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


def run_date(context: dict[str, Any]) -> str:
    """The date this run processes: the `ds` param when given, else the run's logical date (or run_after)."""
    params = context.get("params") or {}
    if params.get("ds"):
        return str(date.fromisoformat(str(params["ds"])))
    if context.get("ds"):
        return str(context["ds"])
    dag_run = context.get("dag_run")
    when = getattr(dag_run, "run_after", None) or datetime.now()
    return when.date().isoformat()


def _prod_spark_operator() -> Any:
    """The emr_serverless operator (or the one named by DATAFORGE_SPARK_PLATFORM), imported lazily."""
    entry_point = os.environ.get("SPARK_JOB_URI", "")
    args = ["--ds", "{{ params.ds or ds }}"]
    if SPARK_PLATFORM == "emr_serverless":
        from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobRunOperator

        return EmrServerlessStartJobRunOperator(
            task_id="spark_transform",
            application_id=os.environ.get("EMR_SERVERLESS_APPLICATION_ID", ""),
            execution_role_arn=os.environ.get("EMR_SERVERLESS_EXECUTION_ROLE_ARN", ""),
            job_driver={"sparkSubmit": {"entryPoint": entry_point, "entryPointArguments": args}},
            configuration_overrides={
                "applicationConfiguration": [
                    {
                        "classification": "spark-defaults",
                        "properties": {
                            "spark.sql.sources.partitionOverwriteMode": "dynamic",
                            "spark.executorEnv.DATAFORGE_ENV": "prod",
                        },
                    },
                ]
            },
        )
    if SPARK_PLATFORM == "dataproc_serverless":
        from airflow.providers.google.cloud.operators.dataproc import DataprocCreateBatchOperator

        return DataprocCreateBatchOperator(
            task_id="spark_transform",
            region=os.environ.get("DATAPROC_REGION", os.environ.get("GCP_REGION", "")),
            project_id=os.environ.get("GCP_PROJECT") or None,
            batch_id=f"{PROJECT.replace('_', '-')}-{{{{ ts_nodash | lower }}}}",
            batch={
                "pyspark_batch": {"main_python_file_uri": entry_point, "args": args},
                "environment_config": {
                    "execution_config": {"service_account": os.environ.get("DATAPROC_SERVICE_ACCOUNT", "")}
                },
                "runtime_config": {"properties": {"spark.sql.sources.partitionOverwriteMode": "dynamic"}},
            },
        )
    if SPARK_PLATFORM == "synapse_spark":
        from airflow.providers.microsoft.azure.operators.synapse import AzureSynapseRunSparkBatchOperator
        from azure.synapse.spark.models import SparkBatchJobOptions

        return AzureSynapseRunSparkBatchOperator(
            task_id="spark_transform",
            azure_synapse_conn_id=os.environ.get("SYNAPSE_CONN_ID", "azure_synapse_default"),
            spark_pool=os.environ.get("SYNAPSE_SPARK_POOL", ""),
            payload=SparkBatchJobOptions(
                name=f"{PROJECT}-spark",
                file=entry_point,
                arguments=args,
                driver_memory="4g",
                driver_cores=2,
                executor_memory="4g",
                executor_cores=2,
                executor_count=2,
            ),
        )
    raise ValueError(f"unsupported DATAFORGE_SPARK_PLATFORM {SPARK_PLATFORM!r}")


@dag(
    dag_id=f"{PROJECT}_pipeline",
    description="postgres -> snowflake: extract, land raw, Spark, quality gate, dbt",
    schedule=SCHEDULE,
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
    """Build the task graph."""

    @task(execution_timeout=timedelta(minutes=30))
    def extract() -> dict[str, str]:
        """Pull one day from postgres (sample data locally) into the landing folder."""
        from nightly_postgres_snowflake.extract import extract as extract_day

        context = get_current_context()
        return extract_day(run_date(context), rows=context["params"].get("rows"))

    @task(execution_timeout=timedelta(minutes=30))
    def land_raw(files: dict[str, str]) -> dict[str, str]:
        """Land the extracted files in the raw zone, partitioned by ingest date."""
        from nightly_postgres_snowflake.extract import land_raw as land

        return land(files, run_date(get_current_context()))

    @task(execution_timeout=timedelta(minutes=30))
    def quality_gate() -> None:
        """Validate the curated data; raises QualityGateError (fails the run) before anything reaches dbt."""
        from nightly_postgres_snowflake.config import load_settings
        from nightly_postgres_snowflake.quality.gate import run_quality_gate

        run_quality_gate(load_settings().data_dir, run_date(get_current_context()))

    @task(execution_timeout=timedelta(minutes=45))
    def dbt_build() -> None:
        """`dbt build` (models and tests) in-process: the local DuckDB target, or `prod` in production."""
        from contextlib import chdir

        from dbt.cli.main import dbtRunner

        from nightly_postgres_snowflake.config import load_settings

        target = load_settings().dbt_target
        dbt_dir = str(PROJECT_DIR / "dbt")
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        # profiles.yml reads DATA_DIR relative to the project root, where `make` runs dbt too.
        with chdir(PROJECT_DIR):
            outcome = dbtRunner().invoke(
                ["build", "--project-dir", dbt_dir, "--profiles-dir", dbt_dir, "--target", target]
            )
        if not outcome.success:
            results = getattr(outcome.result, "results", None) or []
            failed = [r.node.name for r in results if str(r.status) in ("fail", "error")]
            raise RuntimeError(f"dbt build failed: {', '.join(failed) or outcome.exception}")

    if ENV == "prod":
        spark_transform = _prod_spark_operator()
    else:

        @task(task_id="spark_transform", execution_timeout=timedelta(minutes=30))
        def spark_local() -> dict[str, int]:
            """Run the Spark job in-process on local[*]."""
            from nightly_postgres_snowflake.transform.job import run

            return run(run_date(get_current_context()))

        spark_transform = spark_local()

    landed = land_raw(extract())
    landed >> spark_transform >> quality_gate() >> dbt_build()


pipeline()
