"""The Spark job's credentials on EMR Serverless: already in its environment when it starts.

The operator passes each credential as an `EMR.secret@<prefix><NAME>` reference
(`orchestration/spark_operator.py`), which EMR Serverless resolves from Secrets Manager into the driver's
environment, so the job has nothing to fetch. The same interface as the other clouds' secret stores keeps the
entry point cloud-agnostic.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping


def export_job_secrets(names: Iterable[str], environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Nothing to set: EMR Serverless has put the credentials into the environment. Returns no names."""
    return []
