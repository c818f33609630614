"""Production Airflow reads this project's connections and Variables from AWS Secrets Manager.

Airflow is configured as a deployment would be (the `AIRFLOW__SECRETS__*` options of `airflow_options()`), so
the provider's backend builds the secret names and Airflow's own lookup asks it first; moto stands in for the
Secrets Manager API. Only a real AWS run proves the orchestrator role's permission on those names.
"""

from __future__ import annotations

import pytest

from nightly_postgres_snowflake.orchestration import secrets_backend
from nightly_postgres_snowflake.transform import submit

pytestmark = pytest.mark.prod

WAREHOUSE_URI = "scheme://loader-from-secrets-manager@warehouse.internal:1234/analytics"


@pytest.fixture
def secrets_manager(monkeypatch, airflow_secrets):
    import boto3
    from moto import mock_aws

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "moto-test-only")
    for name in (
        "AIRFLOW_CONN_NIGHTLY_POSTGRES_SNOWFLAKE_WAREHOUSE",
        "WAREHOUSE_CONN_ID",
        "AIRFLOW_VAR_SPARK_JOB_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        airflow_secrets(secrets_backend.airflow_options())
        yield boto3.client("secretsmanager")


def store(client, prefix_key: str, name: str, value: str) -> None:
    client.create_secret(Name=f"{secrets_backend.BACKEND_KWARGS[prefix_key]}/{name}", SecretString=value)


def test_the_load_step_gets_the_warehouse_connection_from_secrets_manager(secrets_manager, as_airflow_task):
    from nightly_postgres_snowflake.load import warehouse_credentials

    store(secrets_manager, "connections_prefix", "nightly_postgres_snowflake_warehouse", WAREHOUSE_URI)
    assert warehouse_credentials() == WAREHOUSE_URI


def test_the_operators_render_variables_from_secrets_manager(secrets_manager):
    import jinja2
    from airflow.sdk.execution_time.context import VariableAccessor

    store(secrets_manager, "variables_prefix", "SPARK_JOB_URI", "s3://artifacts/jobs/entrypoint.py")
    context = {"var": {"value": VariableAccessor(deserialize_json=False)}}
    render = jinja2.Environment().from_string
    assert render(submit.job_uri()).render(context) == "s3://artifacts/jobs/entrypoint.py"
    assert render(submit.py_files_uri()).render(context) == "s3://artifacts/jobs/nightly_postgres_snowflake.zip"


def test_the_secret_names_are_under_the_prefix_the_orchestrator_role_may_read():
    # infra/terraform grants secretsmanager:GetSecretValue on `<project_slug>/<environment>/*` only.
    readable = f"nightly-postgres-snowflake/{secrets_backend.ENVIRONMENT}/"
    assert secrets_backend.BACKEND_KWARGS["connections_prefix"].startswith(readable)
    assert secrets_backend.BACKEND_KWARGS["variables_prefix"].startswith(readable)
