"""Production Spark: the Airflow operator that runs one Spark step on EMR Serverless.

Every cloud dataforge knows writes this module with the same interface, so the DAG never asks which platform
runs Spark: `spark_operator(task_id, module, args, timeout)`. The job runs through the entry point at
`SPARK_JOB_URI` with the project zip on `--py-files` (`make package-spark` builds both; see
`transform/submit.py`); the entry point's first argument is the module to run (`<package>.<module>`),
the rest that module's arguments. The Amazon provider (`apache-airflow-providers-amazon`, in the `prod`
dependency group) is imported only when an operator is built, so this module imports without it.

Every setting is an Airflow Variable rendered when the task runs (`submit.variable`), never an environment
variable read when the DAG is parsed: give them as Variables in the secrets backend
(`orchestration/secrets_backend.py`), `airflow variables set`, or `AIRFLOW_VAR_<NAME>`.

What reaches the job (driver and executors): `DATAFORGE_ENV=prod` and the settings of `submit.JOB_SETTINGS`.
Credentials among them (e.g. the source password) are never passed by value: the driver gets
`EMR.secret@<SPARK_CREDENTIALS_PREFIX><NAME>`, which EMR Serverless resolves from Secrets Manager when the job
starts. Store each as a plaintext secret named, for example,
`nightly-postgres-snowflake/prod/<NAME>`
(the prefix the Spark job role may read). The source's connector jars are added as `spark.jars.packages` (EMR
Serverless downloads them: the application needs a route to Maven Central); a connector EMR's image holds
(Kinesis) is added as `spark.jars`.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

from ..transform import submit

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator

PROJECT = "nightly_postgres_snowflake"
#: Secrets Manager names of the job's credentials: `<prefix><VARIABLE>` (`SPARK_CREDENTIALS_PREFIX` overrides it).
CREDENTIALS_PREFIX = "nightly-postgres-snowflake/prod/"
#: Seconds between two polls of the job run's state; the number of polls follows from the step's timeout.
POLL_SECONDS = 60


def spark_properties() -> dict[str, str]:
    """The job run's `spark-defaults`: its environment, secret references and the source's connector jars."""
    # The sizing worked out from the stated volume (shuffle partitions, executors), when one is stated.
    properties = {"spark.sql.sources.partitionOverwriteMode": "dynamic", **submit.SIZING}
    for name, value in submit.job_environment().items():
        properties[f"spark.emr-serverless.driverEnv.{name}"] = value
        properties[f"spark.executorEnv.{name}"] = value
    prefix = submit.variable("SPARK_CREDENTIALS_PREFIX", CREDENTIALS_PREFIX)
    for name in submit.secret_settings():
        properties[f"spark.emr-serverless.driverEnv.{name}"] = f"EMR.secret@{prefix}{name}"
    if submit.spark_packages():
        properties["spark.jars.packages"] = submit.spark_packages()
    if submit.spark_jars():
        properties["spark.jars"] = submit.spark_jars()
    return properties


def spark_submit_parameters() -> str:
    """`sparkSubmitParameters` of the job run: the project zip on `--py-files` (templated)."""
    return f"--py-files {submit.py_files_uri()}"


def spark_operator(task_id: str, module: str, args: list[str], timeout: timedelta) -> BaseOperator:
    """Start `<project>.<module> <args>` as an EMR Serverless job run and wait for it, at most `timeout`.

    The application and the runtime role are the Variables `EMR_SERVERLESS_APPLICATION_ID` and
    `EMR_SERVERLESS_EXECUTION_ROLE_ARN` (Terraform outputs `emr_serverless_application_id`, `spark_job_role_arn`).
    `args` may hold Airflow templates (e.g. the `--ds` value): every argument below is a templated field.
    """
    from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator

    return EmrServerlessStartJobOperator(
        task_id=task_id,
        name=f"{PROJECT}-{task_id}",
        application_id=submit.variable("EMR_SERVERLESS_APPLICATION_ID"),
        execution_role_arn=submit.variable("EMR_SERVERLESS_EXECUTION_ROLE_ARN"),
        job_driver={
            "sparkSubmit": {
                "entryPoint": submit.job_uri(),
                "entryPointArguments": [f"{PROJECT}.{module}", *args],
                "sparkSubmitParameters": spark_submit_parameters(),
            }
        },
        configuration_overrides={
            "applicationConfiguration": [{"classification": "spark-defaults", "properties": spark_properties()}]
        },
        # The provider's default waits 25 polls (25 minutes), whatever the step's timeout: wait as long as it.
        waiter_delay=POLL_SECONDS,
        waiter_max_attempts=max(1, math.ceil(timeout.total_seconds() / POLL_SECONDS)),
        execution_timeout=timeout,
    )
