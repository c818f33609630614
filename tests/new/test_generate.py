"""`dataforge new` as a library call: what it renders, records, refuses and leaves behind."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dataforge.commands.new import generate
from dataforge.errors import GenerationError, TargetError, UsageError
from dataforge.project import sha256
from dataforge.render import tree

BATCH = "nightly load of Postgres tables into Snowflake"


def staged_leftovers(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if p.name.startswith(".dataforge-staging-")]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    return generate(BATCH, output=out, git=False).path


def test_default_name_and_records(project: Path) -> None:
    assert project.name == "nightly_postgres_snowflake"
    manifest = json.loads((project / ".dataforge/manifest.json").read_text())
    assert manifest["pattern"] == "batch"
    assert manifest["parts"][:2] == ["stages/base", "stages/ingest"]
    assert {"sources/jdbc", "warehouses/snowflake", "clouds/aws", "ci/github_actions"} <= set(
        manifest["parts"]
    )
    for rel, entry in manifest["files"].items():
        assert sha256(project / rel) == entry["sha256"], rel
    decision = json.loads((project / ".dataforge/decision.json").read_text())
    assert decision["pattern"] == "batch"
    assert {r["rule"] for r in decision["reasons"]} >= {"pattern.batch.scheduled", "warehouse.from-sink"}
    for part in manifest["parts"]:
        recorded = project / f".dataforge/answers/{part.replace('/', '-')}.yml"
        if recorded.is_file():  # parts that only declare (a warehouse) render no files
            assert f"_src_path: dataforge:{part}" in recorded.read_text()
    assert (project / ".dataforge/answers/stages-base.yml").is_file()


def test_no_machine_paths_in_generated_files(project: Path) -> None:
    root = str(Path(__file__).resolve().parents[2])
    for path in project.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="ignore")
            assert root not in text, path
            assert str(project.parent) not in text, path


def test_tool_jinja_survives_rendering(project: Path) -> None:
    models = "".join(p.read_text() for p in (project / "dbt/models").rglob("*.sql"))
    assert "{{ ref(" in models
    assert "{{ source(" in models
    assert "env_var(" in (project / "dbt/profiles.yml").read_text()
    assert "${{" in (project / ".github/workflows/ci.yml").read_text()


@pytest.mark.parametrize(
    "payload",
    ["{{ 7*7 }}", "[[ 7*7 ]]", "[% raw %]", "{% include '/etc/passwd' %}", "$(touch /tmp/pwned) `id`"],
)
def test_user_text_is_data_never_code(tmp_path: Path, payload: str) -> None:
    result = generate(
        f"nightly Postgres into Snowflake {payload}", output=tmp_path, name="payload_test", git=False
    )
    readme = (result.path / "README.md").read_text()
    assert payload in readme
    assert "49" not in readme.replace(payload, "")
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize(
    "name", ["../evil", "a/b", "{{x}}", "[[x]]", "Upper", "1abc", "class", "airflow", "x", ""]
)
def test_unsafe_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError):
        generate(BATCH, output=tmp_path, name=name, git=False)
    assert list(tmp_path.iterdir()) == []


def test_non_empty_target_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "nightly_postgres_snowflake"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(TargetError, match="not empty"):
        generate(BATCH, output=tmp_path, git=False)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert staged_leftovers(tmp_path) == []


def test_target_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "nightly_postgres_snowflake").write_text("a file")
    with pytest.raises(TargetError, match="is a file"):
        generate(BATCH, output=tmp_path, git=False)


def test_force_never_overwrites_user_files(tmp_path: Path) -> None:
    project = generate(BATCH, output=tmp_path, git=False).path
    readme = project / "README.md"
    readme.write_text("my own notes")
    (project / "mine.txt").write_text("keep")
    with pytest.raises(TargetError, match=r"README\.md"):
        generate(BATCH, output=tmp_path, git=False, force=True)
    assert readme.read_text() == "my own notes"
    assert (project / "mine.txt").read_text() == "keep"


def test_force_restores_deleted_generated_files_and_keeps_user_files(tmp_path: Path) -> None:
    project = generate(BATCH, output=tmp_path, git=False).path
    (project / "Makefile").unlink()
    (project / "mine.txt").write_text("keep")
    result = generate(BATCH, output=tmp_path, git=False, force=True)
    assert "Makefile" in result.files
    assert (project / "Makefile").is_file()
    assert (project / "mine.txt").read_text() == "keep"


@pytest.mark.parametrize("failure", [GenerationError("validation failed"), KeyboardInterrupt()])
def test_failure_mid_render_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    real = tree.render_tree

    def half_then_fail(*args: object, **kwargs: object) -> dict[str, str]:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise failure

    monkeypatch.setattr("dataforge.commands.new.render_tree", half_then_fail)
    with pytest.raises(type(failure)):
        generate(BATCH, output=tmp_path, git=False)
    assert list(tmp_path.iterdir()) == []


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = generate(BATCH, output=tmp_path, dry_run=True)
    assert result.dry_run
    assert "dags/nightly_postgres_snowflake_pipeline.py" in result.files
    assert list(tmp_path.iterdir()) == []


def test_set_and_answers_file_override_answers(tmp_path: Path) -> None:
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text("schedule: '0 5 * * *'\n")
    result = generate(
        BATCH,
        output=tmp_path / "out",
        git=False,
        answers_file=answers_file,
        overrides={"project_title": "Orders"},
    )
    recorded = json.loads((result.path / ".dataforge/answers.json").read_text())
    assert (recorded["schedule"], recorded["project_title"]) == ("0 5 * * *", "Orders")
    assert "0 5 * * *" in (result.path / "dags/nightly_postgres_snowflake_pipeline.py").read_text()


@pytest.mark.parametrize(
    "overrides", [{"colour": "red"}, {"cloud": "mars"}, {"warehouse": "excel"}, {"project_name": "../x"}]
)
def test_bad_overrides_are_refused(tmp_path: Path, overrides: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        generate(BATCH, output=tmp_path, overrides=overrides, git=False)
    assert list(tmp_path.iterdir()) == []


def test_patterns_without_blueprints_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot generate lakehouse projects yet"):
        generate(
            "Kafka to BigQuery streaming", output=tmp_path, overrides={"pattern": "lakehouse"}, git=False
        )
    assert list(tmp_path.iterdir()) == []


def test_a_streaming_pattern_over_a_source_that_is_no_stream_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="PostgreSQL is not one"):
        generate(BATCH, output=tmp_path, overrides={"pattern": "kappa"}, git=False)
    assert list(tmp_path.iterdir()) == []


def test_git_repository_with_one_commit_even_without_identity(tmp_path: Path) -> None:
    project = generate(BATCH, output=tmp_path).path
    log = subprocess.run(
        ["git", "log", "--format=%an|%s"], cwd=project, capture_output=True, text=True, check=True
    )
    author, subject = log.stdout.strip().split("|")
    assert author == "dataforge"
    assert subject.startswith("Generated by dataforge")
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""


@pytest.mark.parametrize(
    ("requirement", "cloud", "terraform_file"),
    [
        ("hourly sync of Salesforce opportunities into BigQuery", "gcp", "infra/terraform/bigquery.tf"),
        ("daily CSV files from an SFTP server into Azure Synapse", "azure", "infra/terraform/synapse.tf"),
        (
            "pull support tickets from a REST API into Redshift every 6 hours",
            "aws",
            "infra/terraform/redshift.tf",
        ),
    ],
)
def test_each_cloud_gets_its_own_terraform(
    tmp_path: Path, requirement: str, cloud: str, terraform_file: str
) -> None:
    result = generate(requirement, output=tmp_path, dry_run=True)
    assert result.answers.cloud == cloud
    assert terraform_file in result.files
