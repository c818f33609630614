"""The Spark job's credentials on Dataproc Serverless, from Secret Manager (the cloud's secret store).

A batch's properties are readable by anyone who may view the batch and Dataproc resolves no secret reference
in them, so the job fetches its credentials itself when it starts: the secret named by `SPARK_SOURCE_SECRET`
(`projects/<project>/secrets/<id>`, Terraform output `source_secret_name`) holds a JSON object of the
credential variables, e.g. `{"SOURCE_JDBC_PASSWORD": "..."}`; those the environment lacks are set from it.
The Spark service account may read that secret only (infra/terraform/iam_spark.tf).

Standard library only (the batch's runtime image has no Secret Manager client): the access token comes from the
metadata server of the batch's VM, then one call to the Secret Manager REST API.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.request
from collections.abc import Iterable, MutableMapping

METADATA_TOKEN_URL = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"
API_URL = "https://secretmanager.googleapis.com/v1"
TIMEOUT_SECONDS = 30


class SecretStoreError(RuntimeError):
    """The job's credentials could not be read from Secret Manager."""


def _get_json(url: str, headers: dict[str, str]) -> dict:
    """GET `url` (one of this module's http(s) endpoints) and decode its JSON body."""
    if not url.startswith(("https://", "http://")):
        raise SecretStoreError(f"only http(s) endpoints are called, not {url!r}")
    request = urllib.request.Request(url, headers=headers)
    # The scheme is checked above: no file:// or custom schemes reach urlopen.
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # nosec B310
        return json.load(response)


def read_credentials(secret_name: str) -> dict[str, str]:
    """The JSON object held by the latest version of `secret_name` (`projects/<p>/secrets/<id>`)."""
    token = _get_json(METADATA_TOKEN_URL, {"Metadata-Flavor": "Google"})["access_token"]
    url = f"{API_URL}/{secret_name}/versions/latest:access"
    body = _get_json(url, {"Authorization": f"Bearer {token}"})
    values = json.loads(base64.b64decode(body["payload"]["data"]))
    if not isinstance(values, dict):
        raise SecretStoreError(f"{secret_name} must hold a JSON object of credential variables")
    return {str(key): str(value) for key, value in values.items()}


def export_job_secrets(names: Iterable[str], environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Set each of `names` the environment lacks from the job's secret; return the names it set."""
    env = os.environ if environ is None else environ
    missing = [name for name in names if not env.get(name)]
    secret_name = env.get("SPARK_SOURCE_SECRET", "")
    if not missing or not secret_name:
        return []
    values = read_credentials(secret_name)
    found = [name for name in missing if values.get(name)]
    for name in found:
        env[name] = values[name]
    return found
