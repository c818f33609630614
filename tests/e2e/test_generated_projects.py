"""End to end: generate locked batch projects and run their own tooling (make setup/test, terraform, actionlint).

Marked e2e; run by .ci/run. Installs are shared: every project's `make setup` uses uv's cache, so
only the first one downloads and builds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from tests.helpers.requirements import PROJECTS, READER_VARIANTS
from tests.helpers.validators import actionlint, terraform_fmt_check, terraform_validate_aws

from dataforge.commands.new import generate
from dataforge.commands.plan import plan

pytestmark = pytest.mark.e2e

MAKE_TEST_BUDGET_SECONDS = 90 * 3  # the target is 90 s on an idle machine; CI shares its 2 cores
#: The batch project whose whole `make test` (Spark and Airflow included) and `make run` run end to end.
REPRESENTATIVE = "postgres_snowflake"


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The projects as `dataforge new` writes them: locked with the real uv (PyPI is reachable in CI)."""
    out = tmp_path_factory.mktemp("generated")
    generated = {
        name: generate(text, output=out, name=name, lock=True) for name, (text, _) in PROJECTS.items()
    }
    for name, result in generated.items():
        assert result.warnings == [], f"{name}: {result.warnings}"
        assert (result.path / "uv.lock").is_file(), name
    return {name: result.path for name, result in generated.items()}


def locked_versions(project: Path, group: str) -> dict[str, set[str]]:
    """The packages a dependency group names in uv.lock, each with the versions the lock pins for it."""
    lock = tomllib.loads((project / "uv.lock").read_text())
    packages = lock["package"]
    root = next(p for p in packages if p.get("source") == {"editable": "."})
    names = {d["name"] for d in root["dev-dependencies"][group]}
    return {n: {p["version"] for p in packages if p["name"] == n} for n in names}


def assert_installed_as_locked(project: Path, group: str) -> None:
    """Every package the group names is in .venv at a version uv.lock pins: `uv sync --locked` installed it."""
    locked = locked_versions(project, group)
    script = "import importlib.metadata as m, sys; print(*(m.version(n) for n in sys.argv[1:]))"
    names = sorted(locked)
    done = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-c", script, *names],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for name, version in zip(names, done.stdout.split(), strict=True):
        assert version in locked[name], f"{name} {version} is not what uv.lock pins ({locked[name]})"


def make(project: Path, *targets: str, timeout: int = 1200) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    return subprocess.run(
        ["make", *targets], cwd=project, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def project_pytest(project: Path, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess[str]:
    """The project's own pytest in its own .venv, with the environment its Makefile gives tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env |= {"PYTHONPATH": str(project / "src"), "DATAFORGE_ENV": "local", "DATA_DIR": "data"}
    return subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=project, capture_output=True, text=True, timeout=timeout, env=env, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("name", list(PROJECTS))
def test_generated_project_passes_its_own_tests(projects: dict[str, Path], name: str) -> None:
    """`make setup`, `make test` and `make lint`. The representative project runs its whole `make test`; the others
    run every test but the Spark and Airflow ones (the same code whatever the source and warehouse, and their
    slowest), so CI keeps to its time budget. Every project's production path runs in full below."""
    project = projects[name]
    setup = make(project, "setup")
    assert setup.returncode == 0, setup.stdout[-4000:] + setup.stderr[-4000:]
    assert "not locked" not in setup.stdout + setup.stderr
    assert_installed_as_locked(project, "dbt")
    start = time.monotonic()
    if name == REPRESENTATIVE:
        tested = make(project, "test")
    else:
        tested = project_pytest(
            project, "-m", "not prod", "tests", "--ignore=tests/spark", "--ignore=tests/airflow"
        )
    elapsed = time.monotonic() - start
    assert tested.returncode == 0, tested.stdout[-6000:] + tested.stderr[-3000:]
    assert " passed" in tested.stdout
    assert elapsed < MAKE_TEST_BUDGET_SECONDS, f"make test took {elapsed:.0f}s"
    linted = make(project, "lint")
    assert linted.returncode == 0, linted.stdout[-4000:] + linted.stderr[-2000:]


@pytest.mark.parametrize("name", list(PROJECTS))
def test_generated_project_tests_its_production_path(projects: dict[str, Path], name: str) -> None:
    """`make test-prod`: the prod group installs (providers, warehouse adapter) and the production DAG is tested."""
    project = projects[name]
    assert (project / ".venv").is_dir(), "make setup ran in test_generated_project_passes_its_own_tests"
    tested = make(project, "test-prod")
    assert tested.returncode == 0, tested.stdout[-6000:] + tested.stderr[-3000:]
    assert " passed" in tested.stdout
    assert " skipped" not in tested.stdout, "a production test was skipped"
    assert_installed_as_locked(project, "prod")


def test_the_spark_job_runs_on_spark_3_5_too(projects: dict[str, Path], tmp_path: Path) -> None:
    """EMR 7 and Dataproc 2.2 run Spark 3.5: the job and its spark-submit bundle are tested under PySpark 3.5."""
    uv = shutil.which("uv")
    assert uv, "uv is a development dependency; install with pip install -e '.[dev]'"
    project = projects["postgres_snowflake"]
    venv = tmp_path / "spark35"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, timeout=300)
    # jinja2: tests/spark/test_submit.py renders the operators' Airflow templates as Airflow would
    packages = ["pyspark>=3.5,<3.6", "pytest", "pydantic>=2", "pyyaml", "jinja2"]
    python = str(venv / "bin" / "python")
    subprocess.run([uv, "pip", "install", "-q", "--python", python, *packages], check=True, timeout=900)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env |= {"PYTHONPATH": str(project / "src"), "PATH": f"{venv / 'bin'}:{env['PATH']}"}
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/spark"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pyspark; print(pyspark.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith("3.5."), version.stdout


@pytest.mark.parametrize("name", list(PROJECTS))
def test_generated_terraform_is_formatted(projects: dict[str, Path], name: str) -> None:
    terraform_fmt_check(projects[name] / "infra" / "terraform")


@pytest.mark.parametrize("name", [n for n, (_, cloud) in PROJECTS.items() if cloud == "aws"])
def test_generated_aws_terraform_validates(projects: dict[str, Path], name: str) -> None:
    terraform_validate_aws(projects[name] / "infra" / "terraform")


def test_generated_workflows_pass_actionlint(projects: dict[str, Path]) -> None:
    actionlint([p / ".github" / "workflows" / "ci.yml" for p in projects.values()])


def test_make_run_builds_the_warehouse_end_to_end(projects: dict[str, Path]) -> None:
    """`make run` on embedded defaults: extract -> Spark -> quality gate -> dbt, then query the marts."""
    project = projects["postgres_snowflake"]
    assert (project / ".venv").is_dir(), "make setup ran in test_generated_project_passes_its_own_tests"
    ran = make(project, "run", "DS=2024-01-01")
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-3000:]
    assert (project / "data" / "curated" / "orders" / "ingest_date=2024-01-01").is_dir()
    query = (
        "import duckdb; c = duckdb.connect('data/warehouse.duckdb', read_only=True);"
        "print(c.execute('select count(*) from dim_customers').fetchone()[0],"
        " c.execute('select count(*) from fct_orders').fetchone()[0])"
    )
    counted = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-c", query],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert counted.returncode == 0, counted.stderr
    customers, orders = (int(n) for n in counted.stdout.split())
    assert customers == 200
    assert orders == 1000


@pytest.mark.parametrize("reader", list(READER_VARIANTS))
def test_every_source_reader_renders_a_lint_clean_project_with_passing_unit_tests(
    projects: dict[str, Path], tmp_path: Path, reader: str
) -> None:
    """Cheaper than a full `make test` per variant: the first project's installed environment runs the
    variant's ruff and sqlfluff and its tests that need neither Spark nor Airflow, dbt build included (so every
    sample domain's models and data tests run on DuckDB)."""
    venv = projects["postgres_snowflake"] / ".venv" / "bin"
    assert venv.is_dir(), "make setup ran in test_generated_project_passes_its_own_tests"
    text, cloud, source_reader, domain = READER_VARIANTS[reader]
    result = generate(text, output=tmp_path, cloud=cloud, pattern="batch", git=False)
    assert (result.answers.source_reader, result.answers.domain) == (source_reader, domain)
    project = result.path
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    env.pop("VIRTUAL_ENV", None)
    # The domain's own tests (sample data, quality suites, dbt build) for the domains no full project above
    # models; those run theirs in `make test`. The reader's tests run for every variant.
    modelled = {plan(text, cloud=project_cloud).domain for text, project_cloud in PROJECTS.values()}
    domain_tests = ["tests/test_sample_data.py", "tests/quality", "tests/dbt/test_dbt_build.py"]
    for command in (
        [str(venv / "ruff"), "check", "src", "dags", "tests"],
        [str(venv / "sqlfluff"), "lint", "dbt/models"],
        [str(venv / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_extract.py", "tests/test_config.py", "tests/source", *([] if domain in modelled else domain_tests)],
    ):  # fmt: skip
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, f"{command[0]}: {done.stdout[-4000:]}{done.stderr[-2000:]}"


# One kind runs here (CI's time budget): data files and DDL give the same `entities` answer shape, which is what
# the project is rendered from; tests/new/test_new_sample.py checks the answers each kind gives.
@pytest.mark.parametrize("kind", ["ddl"])
def test_projects_shaped_by_the_users_samples_pass_their_data_quality_and_dbt_tests(
    projects: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    """`new --sample`: a CSV + Parquet pair, or a DDL file, becomes the entities; the project's own sample data,
    quality suites and dbt models (built on DuckDB) then agree with them."""
    from tests.new.test_new_sample import DDL, REQUIREMENT, write_samples

    venv = projects["postgres_snowflake"] / ".venv" / "bin"
    assert venv.is_dir(), "make setup ran in test_generated_project_passes_its_own_tests"
    samples_dir = tmp_path / "samples"
    samples_dir.mkdir()
    if kind == "data":
        samples = list(write_samples(samples_dir))
    else:
        samples = [samples_dir / "schema.sql"]
        samples[0].write_text(DDL)
    result = generate(REQUIREMENT, output=tmp_path / "out", git=False, samples=samples)
    project = result.path
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    env.pop("VIRTUAL_ENV", None)
    for command in (
        [str(venv / "ruff"), "check", "src", "dags", "tests"],
        [str(venv / "sqlfluff"), "lint", "dbt/models"],
        [str(venv / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_sample_data.py", "tests/quality", "tests/dbt/test_dbt_build.py"],
    ):  # fmt: skip
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, f"{command[0]}: {done.stdout[-4000:]}{done.stderr[-2000:]}"
