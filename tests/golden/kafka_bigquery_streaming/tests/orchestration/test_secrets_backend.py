"""Production Airflow reads this project's connections and Variables from Google Secret Manager.

Airflow is configured as a deployment would be (the `AIRFLOW__SECRETS__*` options of `airflow_options()`), so
the provider's backend builds the secret names and Airflow's own lookup asks it first; a dictionary stands in for
the Secret Manager API (no emulator exists). Only a real GCP run proves the orchestrator's IAM condition on those
names.
"""

from __future__ import annotations

import re

import pytest

from streaming_kafka_bigquery.orchestration import secrets_backend
from streaming_kafka_bigquery.transform import submit

pytestmark = pytest.mark.prod

WAREHOUSE_URI = "scheme://loader-from-secret-manager@warehouse.internal:1234/analytics"
# Secret Manager secret ids: letters, digits, `-` and `_`, at most 255 characters.
SECRET_ID = re.compile(r"[A-Za-z0-9_-]{1,255}")


@pytest.fixture
def secret_manager(monkeypatch, airflow_secrets):
    """The secrets of the project by id; Airflow's backend reads them through the provider's client."""
    from airflow.providers.google.cloud._internal_client.secret_manager_client import _SecretManagerClient
    from airflow.providers.google.cloud.secrets import secret_manager as provider_backend

    secrets: dict[str, str] = {}
    asked: list[str] = []

    def get_secret(self, secret_id: str, project_id: str, secret_version: str = "latest") -> str | None:
        assert SECRET_ID.fullmatch(secret_id), secret_id
        asked.append(secret_id)
        return secrets.get(secret_id)

    monkeypatch.setattr(_SecretManagerClient, "get_secret", get_secret)
    # Composer's credentials, and their default project, stand in for the real ones.
    monkeypatch.setattr(provider_backend, "get_credentials_and_project_id", lambda **_: (None, "example-project"))
    for name in (
        "AIRFLOW_CONN_STREAMING_KAFKA_BIGQUERY_WAREHOUSE",
        "WAREHOUSE_CONN_ID",
        "AIRFLOW_VAR_SPARK_JOB_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    airflow_secrets(secrets_backend.airflow_options())
    return secrets, asked


def test_the_load_step_gets_the_warehouse_connection_from_secret_manager(secret_manager, as_airflow_task):
    from streaming_kafka_bigquery.load import warehouse_credentials

    secrets, asked = secret_manager
    connection = "streaming_kafka_bigquery_warehouse"
    secrets[f"{secrets_backend.BACKEND_KWARGS['connections_prefix']}-{connection}"] = WAREHOUSE_URI
    assert warehouse_credentials() == WAREHOUSE_URI
    assert asked, "Airflow did not ask Secret Manager"


def test_the_operators_render_variables_from_secret_manager(secret_manager):
    import jinja2
    from airflow.sdk.execution_time.context import VariableAccessor

    secrets, _ = secret_manager
    secrets[f"{secrets_backend.BACKEND_KWARGS['variables_prefix']}-SPARK_JOB_URI"] = "gs://artifacts/jobs/entrypoint.py"
    context = {"var": {"value": VariableAccessor(deserialize_json=False)}}
    render = jinja2.Environment().from_string
    assert render(submit.job_uri()).render(context) == "gs://artifacts/jobs/entrypoint.py"


def test_the_secret_names_match_the_orchestrators_iam_condition():
    # infra/terraform/iam_orchestrator.tf: secrets whose name starts with `<project_slug>-<environment>-airflow-`.
    readable = f"streaming-kafka-bigquery-{secrets_backend.ENVIRONMENT}-airflow-"
    assert secrets_backend.BACKEND_KWARGS["connections_prefix"].startswith(readable)
    assert secrets_backend.BACKEND_KWARGS["variables_prefix"].startswith(readable)
