"""Production Spark: the Airflow operator that runs one Spark step on EMR Serverless.

Every cloud dataforge knows writes this module with the same interface, so the DAG never asks which platform
runs Spark: `spark_operator(task_id, module, args, timeout)`. The job runs through the entry point at
`SPARK_JOB_URI` (uploaded with the project wheel), whose first argument is the module to run
(`nightly_postgres_snowflake.<module>`) and the rest that module's arguments. The Amazon provider
(`apache-airflow-providers-amazon`, in the `prod` dependency group) is imported only when an operator is built,
so this module imports without it.
"""

from __future__ import annotations

import math
import os
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator

PROJECT = "nightly_postgres_snowflake"
#: Seconds between two polls of the job run's state; the number of polls follows from the step's timeout.
POLL_SECONDS = 60


def spark_operator(task_id: str, module: str, args: list[str], timeout: timedelta) -> BaseOperator:
    """Start `<project>.<module> <args>` as an EMR Serverless job run and wait for it, at most `timeout`.

    The application and the runtime role come from `EMR_SERVERLESS_APPLICATION_ID` and
    `EMR_SERVERLESS_EXECUTION_ROLE_ARN` (Terraform outputs `emr_serverless_application_id`, `spark_job_role_arn`).
    `args` may hold Airflow templates (e.g. the `--ds` value): `job_driver` is a templated field.
    """
    from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator

    return EmrServerlessStartJobOperator(
        task_id=task_id,
        name=f"{PROJECT}-{task_id}",
        application_id=os.environ.get("EMR_SERVERLESS_APPLICATION_ID", ""),
        execution_role_arn=os.environ.get("EMR_SERVERLESS_EXECUTION_ROLE_ARN", ""),
        job_driver={
            "sparkSubmit": {
                "entryPoint": os.environ.get("SPARK_JOB_URI", ""),
                "entryPointArguments": [f"{PROJECT}.{module}", *args],
            }
        },
        configuration_overrides={
            "applicationConfiguration": [
                {
                    "classification": "spark-defaults",
                    "properties": {
                        "spark.sql.sources.partitionOverwriteMode": "dynamic",
                        # The job reads DATAFORGE_ENV in the driver (settings) and the executors.
                        "spark.emr-serverless.driverEnv.DATAFORGE_ENV": "prod",
                        "spark.executorEnv.DATAFORGE_ENV": "prod",
                    },
                },
            ]
        },
        # The provider's default waits 25 polls (25 minutes), whatever the step's timeout: wait as long as it.
        waiter_delay=POLL_SECONDS,
        waiter_max_attempts=max(1, math.ceil(timeout.total_seconds() / POLL_SECONDS)),
        execution_timeout=timeout,
    )
