"""Every stream reader renders its part of a kappa project: `source.py` with the contract's names and a
`stream.tf` that is formatted, validates (AWS, against the local provider mirror) and is checkov-clean.

One kappa project per reader and cloud the catalogue pairs them with, Kafka on each cloud (MSK, Google Managed
Service for Apache Kafka, the Kafka endpoint of Event Hubs). Rendering takes seconds; checkov is slower and needs
its own venv, so those cases are e2e like tests/security. Each reader's own tests (options, shaping on Spark DataFrames) run inside the
generated project (`make test`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from tests.helpers.validators import terraform_fmt_check, terraform_validate_aws
from tests.security import tools

from dataforge.commands.new import generate

# variant: (requirement, cloud, stream reader)
KAPPA_VARIANTS = {
    "kafka_gcp": ("Kafka to BigQuery streaming", "gcp", "kafka"),
    "kafka_aws": ("MSK Kafka streaming into Redshift", "aws", "kafka"),
    "kafka_azure": ("Kafka topics streamed into Synapse on Azure", "azure", "kafka"),
    "kinesis_aws": (
        "stream clickstream from Kinesis into Redshift with under a minute of delay",
        "aws",
        "kinesis",
    ),
    "pubsub_gcp": ("Pub/Sub events streaming into BigQuery", "gcp", "pubsub"),
    "eventhubs_azure": ("orders from Event Hubs streamed into Synapse in real time", "azure", "eventhubs"),
}
CONTRACT = {"SPARK_PACKAGES", "stream_options", "read_stream"}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("kappa")
    rendered = {}
    for name, (text, cloud, reader) in KAPPA_VARIANTS.items():
        result = generate(text, output=out, name=name, git=False)
        assert (result.answers.pattern, result.answers.cloud, result.answers.stream_reader) == (
            "kappa",
            cloud,
            reader,
        )
        rendered[name] = result.path
    return rendered


def top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        if isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


@pytest.mark.parametrize("name", list(KAPPA_VARIANTS))
def test_the_reader_renders_the_contract_and_its_tests(projects: dict[str, Path], name: str) -> None:
    project = projects[name]
    source = project / "src" / name / "source.py"
    assert top_level_names(source) >= CONTRACT
    assert (project / "tests" / "source" / "test_source.py").is_file()
    env_example = (project / ".env.example").read_text()
    reader = KAPPA_VARIANTS[name][2].upper()
    assert f"SOURCE_{reader}_" in env_example


@pytest.mark.parametrize("name", list(KAPPA_VARIANTS))
def test_stream_terraform_is_formatted(projects: dict[str, Path], name: str) -> None:
    terraform = projects[name] / "infra" / "terraform"
    assert (terraform / "stream.tf").is_file()
    terraform_fmt_check(terraform)


@pytest.mark.parametrize("name", [n for n, (_, cloud, _) in KAPPA_VARIANTS.items() if cloud == "aws"])
def test_aws_stream_terraform_validates(projects: dict[str, Path], name: str) -> None:
    terraform_validate_aws(projects[name] / "infra" / "terraform")


@pytest.mark.e2e
@pytest.mark.parametrize("name", list(KAPPA_VARIANTS))
def test_stream_terraform_passes_checkov(projects: dict[str, Path], name: str) -> None:
    summary, scan = tools.run_checkov(projects[name] / "infra" / "terraform")
    assert summary["failed"] == 0, scan.report()
    assert summary["parsing_errors"] == 0, scan.report()
    assert summary["passed"] > 0, scan.report()
