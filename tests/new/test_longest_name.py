"""A project with the longest name dataforge accepts passes its own ruff check and format check, on every cloud.

Names are pasted into docstrings, comments and code: a line that fits with a short name can pass the generated
project's 120-column limit with a 32-character one (found by the e2e `make lint`). Rendered and checked by the real
ruff with the generated project's own configuration.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dataforge.answers.names import length_bounds
from dataforge.commands.new import generate

# One project per cloud and per source or stream reader (the parts that paste the name into code).
PROJECTS = {
    "jdbc-aws": (
        "aws",
        "Every night pull yesterday's orders from a MySQL database and load them into ClickHouse",
    ),
    "salesforce-gcp": ("gcp", "hourly sync of Salesforce opportunities into BigQuery"),
    "sftp-azure": ("azure", "daily CSV files from an SFTP server into Azure Synapse"),
    "api-aws": ("aws", "pull support tickets from a REST API into Redshift every 6 hours"),
    "files-gcp": ("gcp", "daily Parquet files that land in GCS loaded into BigQuery"),
    "mongodb-azure": ("azure", "nightly copy of MongoDB collections into Azure Synapse"),
    "dynamodb-aws": ("aws", "nightly export of DynamoDB tables into Snowflake"),
    "cassandra-gcp": ("gcp", "nightly load of Cassandra tables into BigQuery"),
    # kappa: the streaming job, the streaming DAGs and each stream reader
    "kafka-gcp": ("gcp", "Kafka to BigQuery streaming"),
    "kinesis-aws": ("aws", "stream clickstream from Kinesis into Redshift with under a minute of delay"),
    "pubsub-gcp": ("gcp", "IoT sensor readings from Pub/Sub streaming into BigQuery"),
    "eventhubs-azure": ("azure", "live order events from Event Hubs streamed into Synapse"),
}
FOLDERS = ["src", "spark", "dags", "tests"]


def ruff() -> list[str]:
    found = shutil.which("ruff")
    return [found] if found else [sys.executable, "-m", "ruff"]


@pytest.mark.parametrize("case", list(PROJECTS))
def test_the_longest_name_passes_the_projects_ruff(tmp_path: Path, case: str) -> None:
    cloud, requirement = PROJECTS[case]
    longest = length_bounds()[1]
    name = ("longest_" + case.replace("-", "_") + "_" + "x" * longest)[:longest]
    project = generate(requirement, output=tmp_path, name=name, cloud=cloud).path
    folders = [f for f in FOLDERS if (project / f).is_dir()]
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        done = subprocess.run(
            [*ruff(), *command, *folders], cwd=project, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
