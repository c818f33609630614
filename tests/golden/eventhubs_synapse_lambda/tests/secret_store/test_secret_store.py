"""The Spark job's credentials come from Key Vault through the Synapse runtime's credential utility, which a
stand-in replaces here (only a real Synapse run proves the workspace identity's access to the vault)."""

from __future__ import annotations

import json
import sys
from types import ModuleType, SimpleNamespace

import pytest

from nightly_eventhubs_synapse import secret_store


@pytest.fixture
def key_vault(monkeypatch):
    """`notebookutils.mssparkutils` of the Synapse runtime, over a dict of (vault, secret) -> value."""
    secrets: dict[tuple[str, str], str] = {}
    module = ModuleType("notebookutils")
    credentials = SimpleNamespace(getSecret=lambda vault, name: secrets[(vault, name)])
    module.mssparkutils = SimpleNamespace(credentials=credentials)
    monkeypatch.setitem(sys.modules, "notebookutils", module)
    return secrets


def test_missing_credentials_are_set_from_the_vault(key_vault):
    key_vault[("kvexample", "source-credentials")] = json.dumps({"SOURCE_CREDENTIAL": "from-key-vault"})
    environ = {"KEY_VAULT_NAME": "kvexample", "SOURCE_USER_TOKEN": "already-set"}
    assert secret_store.export_job_secrets(["SOURCE_CREDENTIAL", "SOURCE_USER_TOKEN"], environ) == ["SOURCE_CREDENTIAL"]
    assert environ["SOURCE_CREDENTIAL"] == "from-key-vault"
    assert environ["SOURCE_USER_TOKEN"] == "already-set", "a value the environment has is kept"


def test_the_secret_name_can_be_chosen(key_vault):
    chosen = "orders-db"
    key_vault[("kvexample", chosen)] = json.dumps({"SOURCE_CREDENTIAL": "other"})
    environ = {"KEY_VAULT_NAME": "kvexample", "SPARK_SOURCE_SECRET": chosen}
    assert secret_store.export_job_secrets(["SOURCE_CREDENTIAL"], environ) == ["SOURCE_CREDENTIAL"]
    assert environ["SOURCE_CREDENTIAL"] == "other"


def test_nothing_is_fetched_without_a_vault(key_vault):
    assert secret_store.export_job_secrets(["SOURCE_CREDENTIAL"], {}) == []


def test_a_secret_that_is_not_a_json_object_is_refused(key_vault):
    key_vault[("kvexample", "source-credentials")] = '"a string"'
    with pytest.raises(secret_store.SecretStoreError, match="JSON object"):
        secret_store.export_job_secrets(["SOURCE_CREDENTIAL"], {"KEY_VAULT_NAME": "kvexample"})
