"""The production Spark operator: importable without the Azure provider, built and templated with it.

Its settings are Airflow Variables rendered when the task runs; here they are given as `AIRFLOW_VAR_<NAME>`
environment variables, which Airflow reads like any secrets backend.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from nightly_eventhubs_synapse.orchestration.spark_operator import spark_configuration, spark_operator
from nightly_eventhubs_synapse.transform import submit

ARGS = ["--ds", "{{ params.ds or ds }}"]
TIMEOUT = timedelta(minutes=45)
JOB_FOLDER = "abfss://artifacts@account.dfs.core.windows.net/jobs"
VARIABLES = {
    "SYNAPSE_SPARK_POOL": "sparkprod",
    "SYNAPSE_CONN_ID": "synapse_prod",
    "SPARK_JOB_URI": f"{JOB_FOLDER}/entrypoint.py",
    "AZURE_STORAGE_ACCOUNT": "lake",
    "RAW_BUCKET": "raw",
}


def context() -> dict:
    """What Airflow gives the operator when it renders its templates at run time."""
    from airflow.sdk.execution_time.context import VariableAccessor

    return {"params": {"ds": None}, "ds": "2024-01-02", "var": {"value": VariableAccessor(deserialize_json=False)}}


def test_the_module_imports_without_provider_packages():
    assert callable(spark_operator)


@pytest.fixture
def operator(monkeypatch):
    from airflow.providers.microsoft.azure.operators.synapse import AzureSynapseRunSparkBatchOperator

    for name, value in VARIABLES.items():
        monkeypatch.setenv(f"AIRFLOW_VAR_{name}", value)
    monkeypatch.delenv("AIRFLOW_VAR_SPARK_PY_FILES_URI", raising=False)
    # A value in the parsing process's plain environment must not reach the job: only Variables do.
    monkeypatch.setenv("SYNAPSE_SPARK_POOL", "from-the-parse-environment")
    built = spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT)
    assert "sparkprod" not in repr(built.spark_pool), "a setting was read when the DAG was parsed"
    built.render_template_fields(context())
    # The provider's execute submits `payload`: stand in for it and look at what it would submit.
    monkeypatch.setattr(AzureSynapseRunSparkBatchOperator, "execute", lambda self, context: self.payload)
    return built


@pytest.mark.prod
def test_the_operator_runs_the_step_module_on_the_spark_pool(operator):
    payload = operator.execute({})
    assert operator.task_id == "spark_transform"
    assert (operator.spark_pool, operator.azure_synapse_conn_id) == ("sparkprod", "synapse_prod")
    assert payload.file == f"{JOB_FOLDER}/entrypoint.py"
    # The project zip beside the entry point, where `make package-spark` puts it (Livy's `pyFiles`).
    assert payload.python_files == [f"{JOB_FOLDER}/nightly_eventhubs_synapse.zip"]
    assert payload.serialize()["pyFiles"] == payload.python_files
    assert payload.arguments == ["nightly_eventhubs_synapse.transform.job", "--ds", "2024-01-02"]
    assert payload.configuration["spark.yarn.appMasterEnv.DATAFORGE_ENV"] == "prod"
    assert payload.configuration["spark.executorEnv.AZURE_STORAGE_ACCOUNT"] == "lake"
    assert payload.configuration["spark.yarn.appMasterEnv.RAW_BUCKET"] == "raw"


@pytest.mark.prod
def test_the_operator_waits_as_long_as_the_step_timeout(operator):
    assert operator.execution_timeout == TIMEOUT
    assert operator.timeout == TIMEOUT.total_seconds()


@pytest.mark.prod
def test_the_connection_id_has_a_default(operator, monkeypatch):
    monkeypatch.delenv("AIRFLOW_VAR_SYNAPSE_CONN_ID")
    built = spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT)
    built.render_template_fields(context())
    assert built.azure_synapse_conn_id == "azure_synapse_default"


def test_the_job_gets_its_settings_but_never_secret_values(monkeypatch):
    for name in submit.secret_settings():
        monkeypatch.setenv(name, "hunter2")
        monkeypatch.setenv(f"AIRFLOW_VAR_{name}", "hunter2")
    configuration = spark_configuration()
    assert configuration["spark.yarn.appMasterEnv.DATAFORGE_ENV"] == "prod"
    assert "var.value.get('AZURE_STORAGE_ACCOUNT'" in configuration["spark.executorEnv.AZURE_STORAGE_ACCOUNT"]
    assert "hunter2" not in repr(configuration)
    assert not {key.rsplit(".", 1)[-1] for key in configuration} & set(submit.secret_settings())
    assert configuration.get("spark.jars.packages", "") == submit.spark_packages()
