"""End to end for the streaming patterns: a locked Kafka -> BigQuery kappa project and an Event Hubs -> Synapse
lambda project each run their own tooling (make setup, test, lint, test-prod, run twice), and every other stream
reader renders a kappa project that passes its lint and unit tests.

Marked e2e; run by .ci/run. `make setup` shares uv's cache with the batch projects, so it downloads nothing new.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests.e2e.test_generated_projects import assert_installed_as_locked, make
from tests.helpers.requirements import STREAM_VARIANTS, STREAMING_PROJECTS
from tests.helpers.validators import actionlint, terraform_fmt_check, terraform_validate_aws

from dataforge.commands.new import generate

pytestmark = pytest.mark.e2e

KAPPA = "kafka_bigquery"  # its environment checks the stream reader variants
DS = "2024-01-01"
_SET_UP: dict[str, Path] = {}


def set_up(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as `dataforge new` writes it, locked with the real uv, set up once per test session."""
    if name not in _SET_UP:
        text, cloud, pattern = STREAMING_PROJECTS[name]
        result = generate(
            text, output=tmp_path_factory.mktemp("streaming"), name=name, cloud=cloud, lock=True
        )
        assert result.answers.pattern == pattern
        assert result.warnings == [], result.warnings
        setup = make(result.path, "setup")
        assert setup.returncode == 0, setup.stdout[-4000:] + setup.stderr[-4000:]
        assert_installed_as_locked(result.path, "spark")
        _SET_UP[name] = result.path
    return _SET_UP[name]


@pytest.fixture(scope="module", params=list(STREAMING_PROJECTS))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return set_up(request.param, tmp_path_factory)


def test_the_project_passes_its_own_tests_and_lint(project: Path) -> None:
    tested = make(project, "test")
    assert tested.returncode == 0, tested.stdout[-6000:] + tested.stderr[-3000:]
    assert " passed" in tested.stdout
    linted = make(project, "lint")
    assert linted.returncode == 0, linted.stdout[-4000:] + linted.stderr[-2000:]


def test_the_project_tests_its_production_path(project: Path) -> None:
    tested = make(project, "test-prod")
    assert tested.returncode == 0, tested.stdout[-6000:] + tested.stderr[-3000:]
    assert " passed" in tested.stdout
    assert " skipped" not in tested.stdout, "a production test was skipped"


def warehouse_rows(project: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the local warehouse (DuckDB), its rows sorted: what `make run` left behind."""
    script = (
        "import duckdb, json\n"
        "c = duckdb.connect('data/warehouse.duckdb', read_only=True)\n"
        'tables = c.execute("select table_schema, table_name from information_schema.tables'
        " where table_schema not like '%staging%' and table_name not like '_dlt%'\").fetchall()\n"
        "print(json.dumps({f'{s}.{t}': sorted(map(str, c.execute(f'select * from \"{s}\".\"{t}\"').fetchall()))"
        " for s, t in tables}))\n"
    )
    done = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


def test_make_run_twice_leaves_the_same_rows_in_every_local_table(project: Path) -> None:
    """generate_events -> stream_process (available now) -> quality_gate [-> batch_recompute] -> dbt_build, twice
    for the same day."""
    first = make(project, "run", f"DS={DS}")
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-3000:]
    before = warehouse_rows(project)
    marts = [t for t in before if t.split(".")[-1].startswith(("fct_", "dim_"))]
    assert marts, sorted(before)
    assert all(before[t] for t in marts), {t: len(before[t]) for t in marts}
    second = make(project, "run", f"DS={DS}")
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-3000:]
    assert warehouse_rows(project) == before


def test_the_terraform_is_formatted_and_the_workflow_lints(project: Path) -> None:
    terraform_fmt_check(project / "infra" / "terraform")
    actionlint([project / ".github" / "workflows" / "ci.yml"])


@pytest.mark.parametrize("variant", list(STREAM_VARIANTS))
def test_every_stream_reader_renders_a_lint_clean_project_with_passing_unit_tests(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, variant: str
) -> None:
    """Cheaper than a full `make test` per reader: the kappa project's environment runs the variant's ruff and
    its reader tests; Terraform is formatted, and validated where the provider is mirrored (AWS)."""
    project = set_up(KAPPA, tmp_path_factory)
    text, cloud, reader = STREAM_VARIANTS[variant]
    result = generate(text, output=tmp_path, cloud=cloud, git=False)
    assert (result.answers.pattern, result.answers.stream_reader) == ("kappa", reader)
    variant_project = result.path
    venv = project / ".venv" / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env["PYTHONPATH"] = str(variant_project / "src")
    for command in (
        [str(venv / "ruff"), "check", "src", "dags", "tests", "spark"],
        [str(venv / "ruff"), "format", "--check", "src", "dags", "tests", "spark"],
        [
            str(venv / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not prod",
            "tests/source",
        ],
    ):
        done = subprocess.run(
            command, cwd=variant_project, capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, f"{command[0]}: {done.stdout[-4000:]}{done.stderr[-2000:]}"
    terraform_fmt_check(variant_project / "infra" / "terraform")
    if cloud == "aws":
        terraform_validate_aws(variant_project / "infra" / "terraform")
