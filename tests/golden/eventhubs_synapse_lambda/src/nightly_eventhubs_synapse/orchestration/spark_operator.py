"""Production Spark: the Airflow operator that runs one Spark step as a Synapse Spark batch job.

Every cloud dataforge knows writes this module with the same interface, so the DAG never asks which platform
runs Spark: `spark_operator(task_id, module, args, timeout)`. The job runs through the entry point at
`SPARK_JOB_URI` with the project zip in the Livy batch's `pyFiles` (`make package-spark` builds both; see
`transform/submit.py`); the entry point's first argument is the module to run (`<package>.<module>`),
the rest that module's arguments. The Azure provider (`apache-airflow-providers-microsoft-azure`, in the `prod`
dependency group) is imported only when an operator is built, so this module imports without it.

Every setting is an Airflow Variable rendered when the task runs (`submit.variable`), never an environment
variable read when the DAG is parsed: give them as Variables in the secrets backend
(`orchestration/secrets_backend.py`), `airflow variables set`, or `AIRFLOW_VAR_<NAME>`.

What reaches the job (driver and executors): `DATAFORGE_ENV=prod` and the settings of `submit.JOB_SETTINGS` (with
`AZURE_STORAGE_ACCOUNT`, which `config.py` needs for ADLS paths). Credentials among them (e.g. the source password)
are NOT passed: a Spark batch's configuration is readable through the Synapse API. The job reads them from the
project's Key Vault when it starts (`secret_store`; the workspace identity may read its secrets). The source's
connector jars are added as `spark.jars.packages`; with data exfiltration protection the pool cannot download them:
upload them as workspace packages instead.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from ..transform import submit

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator

PROJECT = "nightly_eventhubs_synapse"


@cache
def _operator_class() -> type[BaseOperator]:
    """The provider's Synapse operator with the batch's files, configuration and arguments templated.

    The provider templates only the pool and the connection id, not its `payload`: the templated attributes are
    copied into the payload when the task runs.
    """
    from airflow.providers.microsoft.azure.operators.synapse import AzureSynapseRunSparkBatchOperator

    class SynapseSparkBatchOperator(AzureSynapseRunSparkBatchOperator):
        """Runs a Spark batch job on a Synapse Spark pool from templated files, configuration and arguments."""

        template_fields = (*AzureSynapseRunSparkBatchOperator.template_fields, *_PAYLOAD_FIELDS)

        def __init__(
            self,
            *,
            file: str,
            python_files: list[str],
            configuration: dict[str, str],
            arguments: list[str],
            **kwargs: Any,
        ) -> None:
            super().__init__(**kwargs)
            self.file, self.python_files = file, python_files
            self.configuration, self.arguments = configuration, arguments

        def execute(self, context: Any) -> Any:
            for field in _PAYLOAD_FIELDS:
                setattr(self.payload, field, getattr(self, field))
            return super().execute(context)

    return SynapseSparkBatchOperator


# SparkBatchJobOptions attributes the operator templates (the names are the payload's own).
_PAYLOAD_FIELDS = ("file", "python_files", "configuration", "arguments")


def spark_configuration() -> dict[str, str]:
    """The batch's Spark configuration: the job's environment (templated) and the source's connector jars."""
    settings = submit.job_environment()
    # The job reads its credentials from Key Vault itself (`secret_store`): the vault's and the secret's names.
    for name in ("AZURE_STORAGE_ACCOUNT", "KEY_VAULT_NAME", "SPARK_SOURCE_SECRET"):
        settings[name] = submit.variable(name)
    # Sized shuffle partitions (the executors are the payload's own fields, below).
    configuration = {"spark.sql.sources.partitionOverwriteMode": "dynamic"}
    configuration.update({k: v for k, v in submit.SIZING.items() if k.startswith("spark.sql.")})
    for name, value in settings.items():
        configuration[f"spark.yarn.appMasterEnv.{name}"] = value
        configuration[f"spark.executorEnv.{name}"] = value
    if submit.spark_packages():
        configuration["spark.jars.packages"] = submit.spark_packages()
    return configuration


def spark_operator(task_id: str, module: str, args: list[str], timeout: timedelta) -> BaseOperator:
    """Run `<project>.<module> <args>` as a Spark batch job on the Synapse Spark pool, waiting at most `timeout`.

    The pool and the Airflow connection are the Variables `SYNAPSE_SPARK_POOL` (Terraform output `spark_pool`)
    and `SYNAPSE_CONN_ID` (default `azure_synapse_default`). `args` may hold Airflow templates (e.g. the `--ds`
    value): the pool, the connection id, the files, the configuration and the arguments are templated fields.
    """
    from azure.synapse.spark.models import SparkBatchJobOptions

    return _operator_class()(
        task_id=task_id,
        azure_synapse_conn_id=submit.variable("SYNAPSE_CONN_ID", "azure_synapse_default"),
        spark_pool=submit.variable("SYNAPSE_SPARK_POOL"),
        file=submit.job_uri(),
        python_files=[submit.py_files_uri()],
        configuration=spark_configuration(),
        arguments=[f"{PROJECT}.{module}", *args],
        payload=SparkBatchJobOptions(
            name=f"{PROJECT}-{task_id}",
            file="",  # set from the templated `file` when the task runs
            driver_memory="4g",
            driver_cores=2,
            # Sized from the stated volume when one is stated (submit.SIZING), else a small default.
            executor_memory=submit.sized("spark.executor.memory", "4g"),
            executor_cores=int(submit.sized("spark.executor.cores", "2")),
            executor_count=int(submit.sized("spark.executor.instances", "2")),
        ),
        timeout=int(timeout.total_seconds()),
        execution_timeout=timeout,
    )
