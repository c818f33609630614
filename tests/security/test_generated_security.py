"""Generated projects are secure by default: every scanner is clean on a project of every cloud.

checkov (Terraform, offline), detect-secrets (every file), bandit (src/ and dags/), sqlfluff (dbt models) and
ruff run on freshly generated projects; a second group plants a finding in a copy of a project and checks
that the scanner reports it, so a scanner that silently scans nothing cannot pass. A missing scanner fails
the run (see tools.py). The guarantees and the inline checkov skips are documented in docs/security.md.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from tests.helpers.requirements import PROJECTS
from tests.security import tools

from dataforge.commands.new import generate

pytestmark = pytest.mark.e2e

# Inline `#checkov:skip` comments per cloud blueprint, each with its reason in docs/security.md. Raising one of
# these numbers needs a written reason there too.
INLINE_SKIPS = {"aws": 5, "gcp": 2, "azure": 7}
BLUEPRINTS = tools.REPO_ROOT / "blueprints"
SECURITY_DOC = tools.REPO_ROOT / "docs" / "security.md"
SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+):(.+)")


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("secure")
    return {
        name: generate(text, output=out, name=name, git=False).path for name, (text, _) in PROJECTS.items()
    }


def package(project: Path) -> Path:
    return project / "src" / project.name


def copy_of(project: Path, tmp_path: Path) -> Path:
    target = tmp_path / project.name
    shutil.copytree(project, target)
    return target


# --- clean on every generated project ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PROJECTS))
def test_terraform_passes_checkov(projects: dict[str, Path], name: str) -> None:
    cloud = PROJECTS[name][1]
    summary, scan = tools.run_checkov(projects[name] / "infra" / "terraform")
    assert summary["failed"] == 0, scan.report()
    assert summary["parsing_errors"] == 0, scan.report()
    assert summary["passed"] > 0, scan.report()
    # A skip on a resource with count/for_each is reported once per instance, hence the factor.
    assert summary["skipped"] <= 3 * INLINE_SKIPS[cloud], summary


@pytest.mark.parametrize("name", list(PROJECTS))
def test_no_secrets_in_any_generated_file(projects: dict[str, Path], name: str) -> None:
    scan = tools.run_detect_secrets(projects[name])
    assert scan.findings == [], scan.report()
    assert scan.returncode == 0, scan.report()


@pytest.mark.parametrize("name", list(PROJECTS))
def test_generated_python_has_no_bandit_finding(projects: dict[str, Path], name: str) -> None:
    scan = tools.run_bandit(projects[name], "src", "dags")
    assert scan.findings == [], scan.report()


@pytest.mark.parametrize("name", list(PROJECTS))
def test_dbt_models_lint_clean_with_sqlfluff(projects: dict[str, Path], name: str) -> None:
    scan = tools.run_sqlfluff(projects[name])
    assert scan.findings == [], scan.report()


@pytest.mark.parametrize("name", list(PROJECTS))
def test_generated_python_passes_ruff(projects: dict[str, Path], name: str) -> None:
    scan = tools.run_ruff(projects[name], "src", "dags", "tests")
    assert scan.findings == [], scan.report()
    assert scan.returncode == 0, scan.report()


def test_secrets_baseline_allows_nothing_but_file_digests(projects: dict[str, Path]) -> None:
    """The only exclusion is the sha256 digests of .dataforge/manifest.json; the baseline lists no secret."""
    for project in projects.values():
        baseline = json.loads((project / ".secrets.baseline").read_text())
        assert baseline["results"] == {}
        excluded = [
            f for f in baseline["filters_used"] if f["path"].startswith("detect_secrets.filters.regex")
        ]
        assert excluded == [
            {
                "path": "detect_secrets.filters.regex.should_exclude_line",
                "pattern": ['"sha256": "[0-9a-f]{64}"'],
            }
        ]


def test_every_inline_checkov_skip_has_a_reason_and_is_documented() -> None:
    doc = SECURITY_DOC.read_text()
    for cloud, expected in INLINE_SKIPS.items():
        skips = [
            match
            for path in sorted((BLUEPRINTS / "clouds" / cloud).rglob("*.tf*"))
            for match in SKIP_COMMENT.finditer(path.read_text())
        ]
        assert len(skips) == expected, (
            f"{cloud}: {[m.group(1) for m in skips]} (update INLINE_SKIPS and the doc)"
        )
        for match in skips:
            assert len(match.group(2).strip()) > 20, match.group(0)
            assert match.group(1) in doc, f"{match.group(1)} ({cloud}) is not explained in docs/security.md"
        assert f"| {cloud.upper()} | {expected} |" in doc, (
            f"docs/security.md must report {expected} skips for {cloud}"
        )


# --- every scanner can fail ---------------------------------------------------------------------------------------


def test_detect_secrets_finds_a_planted_aws_key(projects: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(projects["postgres_snowflake"], tmp_path)
    fake_key = (
        "AKIA" + "IOSFODNN7" + "EXAMPLE"
    )  # AWS's documented example key, assembled so this file stays clean
    (package(project) / "local_settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{fake_key}"\n')
    scan = tools.run_detect_secrets(project)
    assert scan.returncode != 0
    assert any("local_settings.py" in f and "AWS Access Key" in f for f in scan.findings), scan.report()


def test_bandit_reports_planted_shell_injection_as_high(projects: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(projects["postgres_snowflake"], tmp_path)
    (package(project) / "planted.py").write_text(
        '"""Planted by the test."""\n\nimport subprocess\n\n\ndef run(cmd: str) -> int:\n'
        "    return subprocess.call(cmd, shell=True)\n"
    )
    scan = tools.run_bandit(project, "src", "dags", severities=("HIGH",))
    assert any(f.startswith("B602 HIGH") and "planted.py" in f for f in scan.findings), scan.report()


def test_checkov_fails_a_planted_public_bucket(projects: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(projects["postgres_snowflake"], tmp_path)
    (project / "infra" / "terraform" / "planted.tf").write_text(
        'resource "aws_s3_bucket" "planted" {\n  bucket = "planted-public-bucket"\n}\n\n'
        'resource "aws_s3_bucket_public_access_block" "planted" {\n'
        "  bucket                  = aws_s3_bucket.planted.id\n"
        "  block_public_acls       = false\n  block_public_policy     = false\n"
        "  ignore_public_acls      = false\n  restrict_public_buckets = false\n}\n"
    )
    summary, scan = tools.run_checkov(project / "infra" / "terraform")
    assert summary["failed"] > 0
    assert any("aws_s3_bucket" in f and "planted" in f for f in scan.findings), scan.report()


def test_sqlfluff_reports_a_planted_sloppy_model(projects: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(projects["postgres_snowflake"], tmp_path)
    (project / "dbt" / "models" / "staging" / "planted.sql").write_text("SELECT a,b from {{ ref('x') }}  \n")
    scan = tools.run_sqlfluff(project)
    assert any("planted.sql" in f for f in scan.findings), scan.report()
