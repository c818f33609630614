"""Production Spark: the Airflow operator that runs one Spark step as a Dataproc Serverless batch.

Every cloud dataforge knows writes this module with the same interface, so the DAG never asks which platform
runs Spark: `spark_operator(task_id, module, args, timeout)`. The job runs through the entry point at
`SPARK_JOB_URI` with the project zip in `python_file_uris` (`make package-spark` builds both; see
`transform/submit.py`); the entry point's first argument is the module to run (`<package>.<module>`),
the rest that module's arguments. The Google provider (`apache-airflow-providers-google`, in the `prod`
dependency group) is imported only when an operator is built, so this module imports without it.

Every setting is an Airflow Variable rendered when the task runs (`submit.variable`), never an environment
variable read when the DAG is parsed: give them as Variables in the secrets backend
(`orchestration/secrets_backend.py`), `airflow variables set`, or `AIRFLOW_VAR_<NAME>`.

What reaches the job (driver and executors): `DATAFORGE_ENV=prod` and the settings of `submit.JOB_SETTINGS`.
Credentials among them (e.g. the source password) are NOT passed: batch properties are readable by anyone who may
view the batch, and Dataproc resolves no secret reference in them. The job reads them from Secret Manager when it
starts (`secret_store`, the secret named by the Variable `SPARK_SOURCE_SECRET`, which the Spark service account may
read). The source's connector jars are added as `spark.jars.packages`, downloaded at start: the batch subnet needs a
route to Maven Central (Cloud NAT), or copy the jars to the artifacts bucket and set `spark.jars`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..transform import submit

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator

PROJECT = "streaming_kafka_bigquery"
# Batch ids: 4-63 characters of [a-z0-9-]; the prefix leaves room for the run's time and the try number.
_BATCH_PREFIX_LENGTH = 40
# Unique per run and per try, so a retry submits a new batch instead of finding the failed one. run_after
# exists for every run (a manual run may have no logical date).
_BATCH_SUFFIX = "{{ dag_run.run_after.strftime('%Y%m%dt%H%M%S') }}-{{ ti.try_number }}"


def batch_id(task_id: str) -> str:
    """The (templated) Dataproc batch id of one task: `<project>-<task>-<run time>-<try>`."""
    prefix = f"{PROJECT}-{task_id}".replace("_", "-")[:_BATCH_PREFIX_LENGTH].rstrip("-")
    return f"{prefix}-{_BATCH_SUFFIX}"


def spark_properties() -> dict[str, str]:
    """The batch's Spark properties: the job's environment (templated) and the source's connector jars."""
    # The sizing worked out from the stated volume (shuffle partitions, executors), when one is stated.
    properties = {"spark.sql.sources.partitionOverwriteMode": "dynamic", **submit.SIZING}
    # The job reads its credentials from this secret itself (`secret_store`): its name, never its value.
    environment = {**submit.job_environment(), "SPARK_SOURCE_SECRET": submit.variable("SPARK_SOURCE_SECRET")}
    for name, value in environment.items():
        properties[f"spark.dataproc.driverEnv.{name}"] = value
        properties[f"spark.executorEnv.{name}"] = value
    if submit.spark_packages():
        properties["spark.jars.packages"] = submit.spark_packages()
    return properties


def spark_operator(task_id: str, module: str, args: list[str], timeout: timedelta) -> BaseOperator:
    """Submit `<project>.<module> <args>` as a Dataproc Serverless batch and wait for it, at most `timeout`.

    The project and region are the Variables `GCP_PROJECT` and `DATAPROC_REGION` (else `GCP_REGION`); the batch
    runs as `DATAPROC_SERVICE_ACCOUNT` in `DATAPROC_SUBNETWORK` (Terraform outputs `spark_service_account`,
    `spark_subnetwork`; an empty subnetwork is the region's default network). `args` may hold Airflow templates
    (e.g. the `--ds` value): every argument below is a templated field.
    """
    from airflow.providers.google.cloud.operators.dataproc import DataprocCreateBatchOperator

    execution_config = {
        "service_account": submit.variable("DATAPROC_SERVICE_ACCOUNT"),
        "subnetwork_uri": submit.variable("DATAPROC_SUBNETWORK"),
    }
    return DataprocCreateBatchOperator(
        task_id=task_id,
        region="{{ var.value.get('DATAPROC_REGION', '') or var.value.get('GCP_REGION', '') }}",
        project_id=submit.variable("GCP_PROJECT"),
        batch_id=batch_id(task_id),
        batch={
            "pyspark_batch": {
                "main_python_file_uri": submit.job_uri(),
                "python_file_uris": [submit.py_files_uri()],
                "args": [f"{PROJECT}.{module}", *args],
            },
            "environment_config": {"execution_config": execution_config},
            "runtime_config": {"properties": spark_properties()},
        },
        execution_timeout=timeout,
    )
