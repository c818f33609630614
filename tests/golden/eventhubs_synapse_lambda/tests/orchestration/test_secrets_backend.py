"""Production Airflow reads this project's connections and Variables from Azure Key Vault.

Airflow is configured as a deployment would be (the `AIRFLOW__SECRETS__*` options of `airflow_options()`), so
the provider's backend builds the secret names and Airflow's own lookup asks it first; a dictionary stands in for
the Key Vault API (no emulator exists). Only a real Azure run proves the identity's role on the vault.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from nightly_eventhubs_synapse.orchestration import secrets_backend
from nightly_eventhubs_synapse.transform import submit

pytestmark = pytest.mark.prod

WAREHOUSE_URI = "scheme://loader-from-key-vault@warehouse.internal:1234/analytics"
# Key Vault secret names: 1-127 letters, digits and dashes.
SECRET_NAME = re.compile(r"[0-9A-Za-z-]{1,127}")


@pytest.fixture
def key_vault(monkeypatch, airflow_secrets):
    """The vault's secrets by name; Airflow's backend reads them through the Key Vault client."""
    from azure.core.exceptions import ResourceNotFoundError
    from azure.keyvault.secrets import SecretClient

    secrets: dict[str, str] = {}

    def get_secret(self, name: str, version: str | None = None, **kwargs) -> SimpleNamespace:
        assert SECRET_NAME.fullmatch(name), name
        if name not in secrets:
            raise ResourceNotFoundError(name)
        return SimpleNamespace(value=secrets[name])

    monkeypatch.setattr(SecretClient, "get_secret", get_secret)
    for name in (
        "AIRFLOW_CONN_NIGHTLY_EVENTHUBS_SYNAPSE_WAREHOUSE",
        "WAREHOUSE_CONN_ID",
        "AIRFLOW_VAR_SPARK_JOB_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    airflow_secrets(secrets_backend.airflow_options("https://example-vault.vault.azure.net/"))
    return secrets


def test_the_load_step_gets_the_warehouse_connection_from_key_vault(key_vault, as_airflow_task):
    from nightly_eventhubs_synapse.load import warehouse_credentials

    key_vault["airflow-connections-nightly-eventhubs-synapse-warehouse"] = WAREHOUSE_URI
    assert warehouse_credentials() == WAREHOUSE_URI


def test_the_operators_render_variables_from_key_vault(key_vault):
    import jinja2
    from airflow.sdk.execution_time.context import VariableAccessor

    key_vault["airflow-variables-SPARK-JOB-URI"] = "abfss://artifacts@lake.dfs.core.windows.net/jobs/entrypoint.py"
    context = {"var": {"value": VariableAccessor(deserialize_json=False)}}
    rendered = jinja2.Environment().from_string(submit.job_uri()).render(context)
    assert rendered == "abfss://artifacts@lake.dfs.core.windows.net/jobs/entrypoint.py"
