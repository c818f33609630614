"""Where production Airflow finds this project's connections and Variables: AWS Secrets Manager.

Airflow asks its secrets backend before its environment and its metadata database, so credentials stay in the
cloud's secret store and never in a file. Set the two Airflow options of `airflow_options()` in the Airflow
environment (MWAA: the configuration options `secrets.backend` and `secrets.backend_kwargs`; elsewhere the
environment variables of the same names). Then store, as plaintext secrets:

- each connection (a URI or Airflow's JSON form), for example the warehouse connection the load step uses,
  `nightly_postgres_snowflake_warehouse`, as
  `nightly-postgres-snowflake/prod/airflow/connections/<conn id>`;
- each Variable the operators render (`SPARK_JOB_URI`, `EMR_SERVERLESS_APPLICATION_ID`, the bucket names...) as
  `nightly-postgres-snowflake/prod/airflow/variables/<NAME>`.

The orchestrator role may read `nightly-postgres-snowflake/<environment>/*` and nothing else (infra/terraform).
"""

from __future__ import annotations

import json

ENVIRONMENT = "prod"
BACKEND = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
BACKEND_KWARGS = {
    "connections_prefix": f"nightly-postgres-snowflake/{ENVIRONMENT}/airflow/connections",
    "variables_prefix": f"nightly-postgres-snowflake/{ENVIRONMENT}/airflow/variables",
}


def airflow_options() -> dict[str, str]:
    """The Airflow settings that enable this backend, as `AIRFLOW__SECRETS__*` environment variables."""
    return {"AIRFLOW__SECRETS__BACKEND": BACKEND, "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(BACKEND_KWARGS)}
