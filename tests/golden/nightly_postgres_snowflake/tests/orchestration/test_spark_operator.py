"""The production Spark operator: importable without the Amazon provider, built and templated with it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nightly_postgres_snowflake.orchestration.spark_operator import spark_operator

ARGS = ["--ds", "{{ params.ds or ds }}"]
TIMEOUT = timedelta(minutes=45)


def test_the_module_imports_without_provider_packages():
    assert callable(spark_operator)


@pytest.fixture
def operator(monkeypatch):
    pytest.importorskip("airflow.providers.amazon.aws.operators.emr")
    monkeypatch.setenv("EMR_SERVERLESS_APPLICATION_ID", "00fexample")
    monkeypatch.setenv("EMR_SERVERLESS_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/spark")
    monkeypatch.setenv("SPARK_JOB_URI", "s3://artifacts/jobs/entry.py")
    return spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT)


def test_the_operator_starts_the_step_module_on_emr_serverless(operator):
    driver = operator.job_driver["sparkSubmit"]
    assert operator.task_id == "spark_transform"
    assert operator.application_id == "00fexample"
    assert operator.execution_role_arn == "arn:aws:iam::123456789012:role/spark"
    assert driver["entryPoint"] == "s3://artifacts/jobs/entry.py"
    assert driver["entryPointArguments"] == ["nightly_postgres_snowflake.transform.job", *ARGS]
    properties = operator.configuration_overrides["applicationConfiguration"][0]["properties"]
    assert properties["spark.emr-serverless.driverEnv.DATAFORGE_ENV"] == "prod"


def test_the_operator_waits_as_long_as_the_step_timeout(operator):
    assert operator.execution_timeout == TIMEOUT
    assert operator.waiter_delay * operator.waiter_max_attempts >= TIMEOUT.total_seconds()


def test_the_date_argument_is_templated(operator):
    assert {"application_id", "execution_role_arn", "job_driver"} <= set(operator.template_fields)
    operator.render_template_fields({"params": {"ds": None}, "ds": "2024-01-02"})
    assert operator.job_driver["sparkSubmit"]["entryPointArguments"][-2:] == ["--ds", "2024-01-02"]
