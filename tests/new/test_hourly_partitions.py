"""An hourly schedule partitions the batch steps by hour (`--hour`); a nightly one renders no hour anywhere."""

from __future__ import annotations

import argparse
import json
import runpy
from pathlib import Path

import pytest

from dataforge.commands.new import generate

HOURLY = "hourly load of orders from Postgres to Snowflake every hour"
NIGHTLY = "Every night load orders from Postgres into Snowflake on AWS"
# The steps `make run` and the DAG call, relative to the package: each takes `--ds` (and `--hour` by the hour).
STEPS = ("extract.py", "transform/job.py", "quality/gate.py", "load.py", "dbt_build.py")


@pytest.fixture(scope="module")
def hourly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(HOURLY, output=tmp_path_factory.mktemp("out"), name="hourly", git=False).path


@pytest.fixture(scope="module")
def nightly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(NIGHTLY, output=tmp_path_factory.mktemp("out"), name="nightly", git=False).path


def config_module(project: Path) -> dict:
    """The rendered `config.py` (standard library only), executed as a module."""
    return runpy.run_path(str(project / "src" / project.name / "config.py"))


def run_parser(config: dict) -> argparse.ArgumentParser:
    """A step's parser: `--ds` plus what `add_run_arguments` adds."""
    parser = argparse.ArgumentParser(exit_on_error=False)
    parser.add_argument("--ds")
    config["add_run_arguments"](parser)
    return parser


def test_the_hourly_project_compiles_and_every_step_takes_the_hour(hourly: Path) -> None:
    assert json.loads((hourly / ".dataforge/answers.json").read_text())["partition_grain"] == "hour"
    for path in [*hourly.glob("src/**/*.py"), *hourly.glob("dags/*.py"), *hourly.glob("tests/**/*.py")]:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")  # a SyntaxError fails the test
    config = config_module(hourly)
    assert config["PARTITION_GRAIN"] == "hour"
    assert config["partition_dir"]("2024-03-10", "7") == "ingest_date=2024-03-10/ingest_hour=07"
    assert run_parser(config).parse_args(["--ds", "2024-03-10", "--hour", "23"]).hour == "23"
    with pytest.raises(SystemExit):  # the hour is required
        run_parser(config).parse_args(["--ds", "2024-03-10"])
    package = hourly / "src" / "hourly"
    for step in STEPS:
        assert "add_run_arguments(parser)" in (package / step).read_text(encoding="utf-8"), step
    run_lines = [line for line in (hourly / "Makefile").read_text().splitlines() if "--ds $(DS)" in line]
    assert run_lines
    assert all(line.endswith("--hour $(HOUR)") for line in run_lines)
    assert "def run_hour(" in (hourly / "dags/hourly_pipeline.py").read_text()
    assert (hourly / "tests/load/test_hourly_pipeline.py").is_file()
    assert "ingest_hour desc" in (hourly / "dbt/models/staging/stg_orders.sql").read_text()


def test_the_nightly_project_renders_no_hour(nightly: Path) -> None:
    assert json.loads((nightly / ".dataforge/answers.json").read_text())["partition_grain"] == "day"
    config = config_module(nightly)
    assert config["partition_dir"]("2024-03-10") == "ingest_date=2024-03-10"
    with pytest.raises(config["ConfigError"]):
        config["partition_dir"]("2024-03-10", "05")
    with pytest.raises(SystemExit):  # unrecognised option
        run_parser(config).parse_args(["--ds", "2024-03-10", "--hour", "05"])
    for rel in ("Makefile", "dags/nightly_pipeline.py"):
        text = (nightly / rel).read_text()
        assert "--hour" not in text, rel
        assert "HOUR" not in text, rel
        assert "run_hour" not in text, rel
    assert not list(nightly.glob("dbt/models/**/*hour*"))
    assert all("ingest_hour" not in p.read_text() for p in nightly.glob("dbt/models/**/*.sql"))
    assert not (nightly / "tests/load/test_hourly_pipeline.py").exists()
