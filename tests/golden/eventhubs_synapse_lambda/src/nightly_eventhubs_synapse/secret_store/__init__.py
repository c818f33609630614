"""The Spark job's credentials on a Synapse Spark pool, from the project's Key Vault (the cloud's secret store).

A batch's configuration is readable through the Synapse API, so the job fetches its credentials itself when it
starts: the Key Vault secret `SPARK_SOURCE_SECRET` (default `source-credentials`) of the vault
`KEY_VAULT_NAME` (Terraform output `key_vault_name`) holds a JSON object of the credential variables, e.g.
`{"SOURCE_JDBC_PASSWORD": "..."}`; those the environment lacks are set from it. It is read with the Synapse
runtime's credential utility (`mssparkutils.credentials.getSecret`, as the workspace's managed identity, which
may read this vault's secrets: infra/terraform/iam.tf).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, MutableMapping

DEFAULT_CREDENTIALS = "source-credentials"


class SecretStoreError(RuntimeError):
    """The job's credentials could not be read from Key Vault."""


def read_credentials(vault: str, secret: str) -> dict[str, str]:
    """The JSON object held by the Key Vault secret `secret` of `vault`, read by the Synapse runtime."""
    from notebookutils import mssparkutils  # the Synapse Spark runtime's own utilities

    values = json.loads(mssparkutils.credentials.getSecret(vault, secret))
    if not isinstance(values, dict):
        raise SecretStoreError(f"{secret} in {vault} must hold a JSON object of credential variables")
    return {str(key): str(value) for key, value in values.items()}


def export_job_secrets(names: Iterable[str], environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Set each of `names` the environment lacks from the job's secret; return the names it set."""
    env = os.environ if environ is None else environ
    missing = [name for name in names if not env.get(name)]
    vault = env.get("KEY_VAULT_NAME", "")
    if not missing or not vault:
        return []
    values = read_credentials(vault, env.get("SPARK_SOURCE_SECRET") or DEFAULT_CREDENTIALS)
    found = [name for name in missing if values.get(name)]
    for name in found:
        env[name] = values[name]
    return found
