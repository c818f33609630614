"""Where production Airflow finds this project's connections and Variables: Google Secret Manager.

Airflow asks its secrets backend before its environment and its metadata database, so credentials stay in the
cloud's secret store and never in a file. Set the two Airflow options of `airflow_options()` in the Airflow
environment (Cloud Composer: the Airflow configuration overrides `secrets-backend` and `secrets-backend_kwargs`;
elsewhere the environment variables of the same names). Then store, as secrets of the project:

- each connection (a URI or Airflow's JSON form), for example the warehouse connection the load step uses,
  `streaming_kafka_bigquery_warehouse`, as
  `streaming-kafka-bigquery-prod-airflow-connections-<conn id>`;
- each Variable the operators render (`SPARK_JOB_URI`, `DATAPROC_SERVICE_ACCOUNT`, the bucket names...) as
  `streaming-kafka-bigquery-prod-airflow-variables-<NAME>`.

The orchestrator service account may read the secrets named
`streaming-kafka-bigquery-<environment>-airflow-*`
and no other (infra/terraform/iam_orchestrator.tf, an IAM condition on the secret name).
"""

from __future__ import annotations

import json

ENVIRONMENT = "prod"
BACKEND = "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend"
BACKEND_KWARGS = {
    "connections_prefix": f"streaming-kafka-bigquery-{ENVIRONMENT}-airflow-connections",
    "variables_prefix": f"streaming-kafka-bigquery-{ENVIRONMENT}-airflow-variables",
    "sep": "-",
}


def airflow_options() -> dict[str, str]:
    """The Airflow settings that enable this backend, as `AIRFLOW__SECRETS__*` environment variables.

    The secrets are read in the project of Airflow's own credentials (Cloud Composer's environment).
    """
    return {"AIRFLOW__SECRETS__BACKEND": BACKEND, "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(BACKEND_KWARGS)}
