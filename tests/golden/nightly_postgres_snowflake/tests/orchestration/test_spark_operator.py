"""The production Spark operator: importable without the Amazon provider, built and templated with it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nightly_postgres_snowflake.orchestration.spark_operator import spark_operator, spark_properties
from nightly_postgres_snowflake.transform import submit

ARGS = ["--ds", "{{ params.ds or ds }}"]
TIMEOUT = timedelta(minutes=45)


def test_the_module_imports_without_provider_packages():
    assert callable(spark_operator)


@pytest.fixture
def operator(monkeypatch):
    monkeypatch.setenv("EMR_SERVERLESS_APPLICATION_ID", "00fexample")
    monkeypatch.setenv("EMR_SERVERLESS_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/spark")
    monkeypatch.setenv("SPARK_JOB_URI", "s3://artifacts/jobs/entrypoint.py")
    monkeypatch.delenv("SPARK_PY_FILES_URI", raising=False)
    return spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT)


@pytest.mark.prod
def test_the_operator_starts_the_step_module_on_emr_serverless(operator):
    driver = operator.job_driver["sparkSubmit"]
    assert operator.task_id == "spark_transform"
    assert operator.application_id == "00fexample"
    assert operator.execution_role_arn == "arn:aws:iam::123456789012:role/spark"
    assert driver["entryPoint"] == "s3://artifacts/jobs/entrypoint.py"
    assert driver["entryPointArguments"] == ["nightly_postgres_snowflake.transform.job", *ARGS]
    # The project zip beside the entry point, where `make package-spark` puts it.
    assert driver["sparkSubmitParameters"] == "--py-files s3://artifacts/jobs/nightly_postgres_snowflake.zip"
    properties = operator.configuration_overrides["applicationConfiguration"][0]["properties"]
    assert properties["spark.emr-serverless.driverEnv.DATAFORGE_ENV"] == "prod"


@pytest.mark.prod
def test_the_operator_waits_as_long_as_the_step_timeout(operator):
    assert operator.execution_timeout == TIMEOUT
    assert operator.waiter_delay * operator.waiter_max_attempts >= TIMEOUT.total_seconds()


@pytest.mark.prod
def test_the_date_argument_is_templated(operator):
    assert {"application_id", "execution_role_arn", "job_driver"} <= set(operator.template_fields)
    operator.render_template_fields({"params": {"ds": None}, "ds": "2024-01-02"})
    assert operator.job_driver["sparkSubmit"]["entryPointArguments"][-2:] == ["--ds", "2024-01-02"]


def test_the_job_gets_its_settings_and_secret_references_never_secret_values():
    env = {"RAW_BUCKET": "raw-bucket", "SPARK_CREDENTIALS_PREFIX": "app/dev/"}
    env.update(dict.fromkeys(submit.secret_settings(), "hunter2"))
    properties = spark_properties(env)
    assert properties["spark.emr-serverless.driverEnv.DATAFORGE_ENV"] == "prod"
    assert properties["spark.executorEnv.RAW_BUCKET"] == "raw-bucket"
    assert "hunter2" not in properties.values()
    for name in submit.secret_settings():
        assert properties[f"spark.emr-serverless.driverEnv.{name}"] == f"EMR.secret@app/dev/{name}"
    assert properties.get("spark.jars.packages", "") == submit.spark_packages()


@pytest.mark.prod
def test_an_explicit_zip_uri_wins(monkeypatch):
    monkeypatch.setenv("SPARK_JOB_URI", "s3://artifacts/jobs/entrypoint.py")
    monkeypatch.setenv("SPARK_PY_FILES_URI", "s3://artifacts/releases/1.2/code.zip")
    driver = spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT).job_driver["sparkSubmit"]
    assert driver["sparkSubmitParameters"] == "--py-files s3://artifacts/releases/1.2/code.zip"
