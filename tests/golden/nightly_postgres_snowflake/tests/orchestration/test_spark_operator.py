"""The production Spark operator: importable without the Amazon provider, built and templated with it.

Its settings are Airflow Variables rendered when the task runs; here they are given as `AIRFLOW_VAR_<NAME>`
environment variables, which Airflow reads like any secrets backend.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from nightly_postgres_snowflake.orchestration.spark_operator import spark_operator, spark_properties
from nightly_postgres_snowflake.transform import submit

ARGS = ["--ds", "{{ params.ds or ds }}"]
TIMEOUT = timedelta(minutes=45)
VARIABLES = {
    "EMR_SERVERLESS_APPLICATION_ID": "00fexample",
    "EMR_SERVERLESS_EXECUTION_ROLE_ARN": "arn:aws:iam::000000000000:role/spark",
    "SPARK_JOB_URI": "s3://artifacts/jobs/entrypoint.py",
    "SPARK_CREDENTIALS_PREFIX": "app/dev/",
    "RAW_BUCKET": "raw-bucket",
}


def test_the_module_imports_without_provider_packages():
    assert callable(spark_operator)


def context() -> dict:
    """What Airflow gives the operator when it renders its templates at run time."""
    from airflow.sdk.execution_time.context import VariableAccessor

    return {"params": {"ds": None}, "ds": "2024-01-02", "var": {"value": VariableAccessor(deserialize_json=False)}}


@pytest.fixture
def operator(monkeypatch):
    for name, value in VARIABLES.items():
        monkeypatch.setenv(f"AIRFLOW_VAR_{name}", value)
    monkeypatch.delenv("AIRFLOW_VAR_SPARK_PY_FILES_URI", raising=False)
    # A value in the parsing process's plain environment must not reach the job: only Variables do.
    monkeypatch.setenv("EMR_SERVERLESS_APPLICATION_ID", "from-the-parse-environment")
    built = spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT)
    assert "00fexample" not in repr(built.application_id), "a setting was read when the DAG was parsed"
    built.render_template_fields(context())
    return built


@pytest.mark.prod
def test_the_operator_starts_the_step_module_on_emr_serverless(operator):
    driver = operator.job_driver["sparkSubmit"]
    assert operator.task_id == "spark_transform"
    assert operator.application_id == "00fexample"
    assert operator.execution_role_arn == "arn:aws:iam::000000000000:role/spark"
    assert driver["entryPoint"] == "s3://artifacts/jobs/entrypoint.py"
    assert driver["entryPointArguments"] == ["nightly_postgres_snowflake.transform.job", "--ds", "2024-01-02"]
    # The project zip beside the entry point, where `make package-spark` puts it.
    assert driver["sparkSubmitParameters"] == "--py-files s3://artifacts/jobs/nightly_postgres_snowflake.zip"
    properties = operator.configuration_overrides["applicationConfiguration"][0]["properties"]
    assert properties["spark.emr-serverless.driverEnv.DATAFORGE_ENV"] == "prod"
    assert properties["spark.executorEnv.RAW_BUCKET"] == "raw-bucket"
    for name in submit.secret_settings():
        assert properties[f"spark.emr-serverless.driverEnv.{name}"] == f"EMR.secret@app/dev/{name}"


@pytest.mark.prod
def test_the_operator_waits_as_long_as_the_step_timeout(operator):
    assert operator.execution_timeout == TIMEOUT
    assert operator.waiter_delay * operator.waiter_max_attempts >= TIMEOUT.total_seconds()


@pytest.mark.prod
def test_every_setting_is_a_templated_field():
    assert {"application_id", "execution_role_arn", "job_driver", "configuration_overrides"} <= set(
        spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT).template_fields
    )


def test_the_job_gets_its_settings_and_secret_references_never_secret_values(monkeypatch):
    for name in submit.secret_settings():
        monkeypatch.setenv(name, "hunter2")
        monkeypatch.setenv(f"AIRFLOW_VAR_{name}", "hunter2")
    properties = spark_properties()
    assert properties["spark.emr-serverless.driverEnv.DATAFORGE_ENV"] == "prod"
    assert "var.value.get('RAW_BUCKET'" in properties["spark.executorEnv.RAW_BUCKET"]
    assert "hunter2" not in repr(properties)
    for name in submit.secret_settings():
        assert properties[f"spark.emr-serverless.driverEnv.{name}"].startswith("EMR.secret@")
        assert properties[f"spark.emr-serverless.driverEnv.{name}"].endswith(name)
    assert properties.get("spark.jars.packages", "") == submit.spark_packages()
    assert properties.get("spark.jars", "") == submit.spark_jars()


@pytest.mark.prod
def test_an_explicit_zip_uri_wins(monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_SPARK_JOB_URI", "s3://artifacts/jobs/entrypoint.py")
    monkeypatch.setenv("AIRFLOW_VAR_SPARK_PY_FILES_URI", "s3://artifacts/releases/1.2/code.zip")
    built = spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT)
    built.render_template_fields(context())
    assert built.job_driver["sparkSubmit"]["sparkSubmitParameters"] == "--py-files s3://artifacts/releases/1.2/code.zip"
