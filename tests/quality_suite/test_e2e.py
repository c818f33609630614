"""End to end in a generated project: `add-quality-suite`, then the project's own `make validate` and `make test`.

Marked e2e: `make setup` installs the generated-project stack (Great Expectations, pandas...) with uv.
The suite must pass on its source sample and fail, naming the right column and expectation, on each corruption.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests.quality_suite import datagen
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.new import generate

pytestmark = pytest.mark.e2e


def make(project: Path, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    return subprocess.run(
        ["make", *args], cwd=project, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e2e")
    root = generate("nightly load of Postgres tables into Snowflake", output=out, name="shop", git=False).path
    datagen.write_csv(root / "samples" / "partners.csv", datagen.rows())
    datagen.write_jsonl(root / "samples" / "partners.jsonl", datagen.rows())
    for args in (
        ["partners", "--from-data", str(root / "samples" / "partners.csv")],
        ["stg_orders_checks", "--from-dbt", "stg_orders"],
    ):
        result = CliRunner().invoke(app, ["add-quality-suite", *args, "--project", str(root), "--yes"])
        assert result.exit_code == 0, result.stderr
    setup = make(root, "setup")
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    return root


@pytest.mark.parametrize("sample", ["partners.csv", "partners.jsonl"])
def test_suite_passes_on_its_sample(project: Path, sample: str) -> None:
    done = make(project, "validate", "DATASET=partners", f"DATA=samples/{sample}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED partners" in done.stdout


@pytest.mark.parametrize("kind", list(datagen.CORRUPTIONS))
def test_corrupted_sample_fails_naming_the_column(project: Path, tmp_path: Path, kind: str) -> None:
    column, expectation = datagen.CORRUPTIONS[kind]
    bad = datagen.write_csv(tmp_path / f"{kind}.csv", datagen.corrupt(datagen.rows(), kind))
    done = make(project, "validate", "DATASET=partners", f"DATA={bad}")
    assert done.returncode != 0, done.stdout
    assert "FAILED partners" in done.stdout
    assert f"{column}: {expectation}" in done.stdout, done.stdout
    failing = {
        line.split(":")[0].strip("- ").strip() for line in done.stdout.splitlines() if line.startswith("  - ")
    }
    assert column in failing


def test_project_tests_pass_including_the_new_suite(project: Path) -> None:
    """The project's tests still pass with the suite added: all but the Spark and Airflow ones, which the suite
    cannot affect (they run in full for the representative project of tests/e2e), so CI keeps to its budget."""
    from tests.e2e.test_generated_projects import project_pytest

    done = project_pytest(
        project, "-m", "not prod", "tests", "--ignore=tests/spark", "--ignore=tests/airflow"
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout, done.stdout[-2000:]
    listed = subprocess.run(
        [
            str(project / ".venv/bin/python"),
            "-m",
            "pytest",
            "tests/quality",
            "-q",
            "-rA",
            "-k",
            "suite_partners",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stdout[-3000:]
    assert "3 passed" in listed.stdout, listed.stdout[-3000:]
