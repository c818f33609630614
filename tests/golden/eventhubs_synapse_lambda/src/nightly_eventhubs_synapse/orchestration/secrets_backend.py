"""Where production Airflow finds this project's connections and Variables: Azure Key Vault.

Airflow asks its secrets backend before its environment and its metadata database, so credentials stay in the
cloud's secret store and never in a file. Set the two Airflow options of `airflow_options(vault_url)` in the
Airflow environment (the environment variables of the same names, or `[secrets]` in airflow.cfg), with the
project's vault (Terraform output `key_vault_uri`). Then store, as secrets of that vault:

- each connection as `airflow-connections-<conn id>` (a URI or Airflow's JSON form; Key Vault names allow no
  `_`, the backend writes it as `-`), for example the warehouse connection `nightly_eventhubs_synapse_warehouse`;
- each Variable the operators render (`SPARK_JOB_URI`, `SYNAPSE_SPARK_POOL`, the bucket names...) as
  `airflow-variables-<NAME>`.

The orchestrator identity may read secrets of this vault only (infra/terraform/iam.tf, "Key Vault Secrets User").
"""

from __future__ import annotations

import json

BACKEND = "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend"
BACKEND_KWARGS = {"connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables", "sep": "-"}


def airflow_options(vault_url: str) -> dict[str, str]:
    """The Airflow settings that enable this backend for the vault at `vault_url`, as environment variables."""
    kwargs = {**BACKEND_KWARGS, "vault_url": vault_url}
    return {"AIRFLOW__SECRETS__BACKEND": BACKEND, "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(kwargs)}
