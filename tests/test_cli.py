from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from dataforge import __version__
from dataforge.cli import app

runner = CliRunner()

STABLE_KEYS = {"pattern", "sources", "sinks", "cloud", "latency", "schedule", "table_format", "components",
               "reasons", "assumptions", "warnings"}  # fmt: skip


def test_plan_json_is_one_object_with_the_stable_keys() -> None:
    result = runner.invoke(app, ["plan", "Kafka to BigQuery streaming", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload.keys() >= STABLE_KEYS
    assert (payload["pattern"], payload["sources"], payload["sinks"], payload["cloud"]) == (
        "kappa", ["kafka"], ["bigquery"], "gcp",
    )  # fmt: skip
    assert all(set(r) == {"rule", "because"} for r in payload["reasons"])


def test_plan_prints_the_decision_and_its_reasons() -> None:
    result = runner.invoke(app, ["plan", "nightly load of Postgres tables into Snowflake"])
    assert result.exit_code == 0, result.output
    for expected in ("Plan: batch", "PostgreSQL (postgres)", "Snowflake (snowflake)", "pattern.batch.scheduled",
                     "Assumptions", "defaults to AWS"):  # fmt: skip
        assert expected in result.stdout


def test_overrides_show_in_the_trace() -> None:
    result = runner.invoke(
        app, ["plan", "Kafka to BigQuery", "--pattern", "LAMBDA", "--cloud", "azure", "--json"]
    )
    payload = json.loads(result.stdout)
    assert (payload["pattern"], payload["cloud"]) == ("lambda", "azure")
    assert payload["reasons"][0] == {"rule": "override.pattern", "because": "You asked for --pattern lambda."}


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["plan", ""], 3, "empty"),
        (["plan", "   "], 3, "empty"),
        (["plan", "x" * 5000], 3, "limit"),
        (["plan", "make me a sandwich"], 4, "No data technology"),
        (["plan", "kafka", "--pattern", "medallion"], 2, "--pattern"),
        (["plan", "kafka", "--cloud", "oracle-cloud"], 2, "--cloud"),
    ],
)
def test_bad_input_is_one_line_error_with_hint_and_exit_code(
    args: list[str], code: int, fragment: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert lines[1].startswith("hint: ")
    assert "Traceback" not in result.output


def test_catalog_lists_patterns_and_synonyms() -> None:
    result = runner.invoke(app, ["catalog", "--json"])
    payload = json.loads(result.stdout)
    assert set(payload["patterns"]) == {"batch", "kappa", "lambda", "lakehouse"}
    bigquery = next(t for t in payload["technologies"] if t["id"] == "bigquery")
    assert "big query" in bigquery["synonyms"]
    human = runner.invoke(app, ["catalog"])
    assert human.exit_code == 0
    assert "Technologies" in human.stdout
    assert "eventhubs" in human.stdout


def test_version_and_help() -> None:
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"dataforge {__version__}"
    assert "plan" in runner.invoke(app, ["--help"]).stdout


def test_internal_errors_are_one_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataforge.commands.plan

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dataforge.commands.plan, "plan", broken)
    result = runner.invoke(app, ["plan", "kafka"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: Internal error: RuntimeError: boom")


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dataforge", "plan", "Kafka to BigQuery streaming", "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pattern"] == "kappa"


def test_help_does_not_import_heavy_modules() -> None:
    probe = (
        "import sys; from dataforge.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('copier', 'jinja2', 'pydantic', 'rich') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "HEAVY="


def test_undecodable_bytes_in_the_requirement_get_the_same_answer_from_plan_and_new(tmp_path) -> None:
    requirement = (
        "nightly load of Postgres into Snowflake \udcff\udcfe"  # how Python keeps bytes 0xff 0xfe of argv
    )
    planned = runner.invoke(app, ["plan", requirement])
    made = runner.invoke(app, ["new", requirement, "--yes", "--no-git", "-o", str(tmp_path), "--dry-run"])
    assert planned.exit_code == made.exit_code == 3
    assert planned.stderr == made.stderr
    assert "not valid UTF-8" in planned.stderr


def test_undecodable_bytes_in_a_set_value_are_a_usage_error(tmp_path) -> None:
    args = ["new", "nightly Postgres to Snowflake", "--yes", "--no-git", "-o", str(tmp_path), "--dry-run"]
    result = runner.invoke(app, [*args, "--set", "project_title=caf\udce9"])
    assert result.exit_code == 2
    assert "not valid UTF-8" in result.stderr
    assert "Traceback" not in result.output


def _dataforge_program() -> str:
    import shutil
    from pathlib import Path

    beside = Path(sys.executable).parent / "dataforge"
    return str(beside) if beside.is_file() else (shutil.which("dataforge") or "dataforge")


def test_ctrl_c_while_importing_prints_two_lines_not_a_traceback() -> None:
    # Deterministic: the program interrupts itself right after dataforge.cli installed its start-up handler.
    code = (
        "import os, signal, sys, time; sys.argv[0] = os.path.join('bin', 'dataforge'); import dataforge.cli; "
        "os.kill(os.getpid(), signal.SIGINT); time.sleep(30)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (130, "")
    assert done.stderr.splitlines() == [
        "error: Interrupted.",
        "hint: Nothing was written; run the command again.",
    ]


def test_ctrl_c_in_the_first_tenths_of_a_second_prints_no_traceback() -> None:
    import signal
    import time

    # Python's own start-up (before any dataforge code runs, ~20-50 ms on a busy machine) is not covered.
    for step in range(6):
        process = subprocess.Popen(
            [_dataforge_program(), "plan", "nightly Postgres to Snowflake"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(0.12 + 0.04 * step)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err, err
        # -SIGINT with nothing printed: the signal arrived before Python had installed its handler.
        assert process.returncode in (0, 130, -signal.SIGINT), (process.returncode, err)
        if process.returncode == -signal.SIGINT:
            assert err == "", err
        if process.returncode == 130:
            assert err.startswith("error: Interrupted.\nhint: "), err
