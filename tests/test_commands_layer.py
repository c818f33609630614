"""The commands layer: `new` plans once, the library API resolves lazily, the CLI adds no logic of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dataforge.commands.new as new_command
from dataforge import api
from dataforge.cli import app
from dataforge.errors import UsageError

REQUIREMENT = "nightly load of Postgres tables into Snowflake"


def test_prepare_writes_nothing_and_with_answers_resolves_derived_answers(tmp_path: Path) -> None:
    prepared = new_command.prepare(REQUIREMENT, output=tmp_path)
    assert list(tmp_path.iterdir()) == []
    moved = prepared.with_answers({"cloud": "gcp", "project_name": "shop"})
    assert moved.target == (tmp_path / "shop").absolute()
    assert moved.answers.cloud == "gcp"
    assert moved.answers.object_store != prepared.answers.object_store
    assert moved.set_by_user == {"cloud", "project_name"}
    assert prepared.answers.cloud == "aws", "plans are immutable"
    with pytest.raises(UsageError):
        prepared.with_answers({"project_name": "../escape"})


def test_interactive_new_plans_once_and_writes_what_it_showed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_plan = new_command.plan

    def counted(*args: object, **kwargs: object) -> object:
        calls.append("plan")
        return real_plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(new_command, "plan", counted)
    monkeypatch.setattr("dataforge.cli._interactive", lambda: True)
    result = CliRunner().invoke(
        app,
        ["new", "nightly Postgres to a warehouse", "-o", str(tmp_path), "--no-git"],
        input="gcp\n\nshop\ny\n",  # the cloud, then the assumed sink (the cloud's warehouse), then the name
    )
    assert result.exit_code == 0, result.output
    assert calls == ["plan"]
    assert "No destination is named" in result.output
    base = (tmp_path / "shop" / ".dataforge" / "answers" / "stages-base.yml").read_text()
    assert "cloud: gcp" in base
    answers = (tmp_path / "shop" / ".dataforge" / "answers.json").read_text()
    assert '"warehouse": "bigquery"' in answers


def test_the_library_api_names_the_commands() -> None:
    assert api.generate is new_command.generate
    assert set(api.__all__) == {"plan", "prepare", "write", "generate", "plan_suite", "write_suite", "add_ci"}
    with pytest.raises(AttributeError):
        _ = api.nothing_here


def test_importing_the_api_loads_no_renderer() -> None:
    code = "import sys, dataforge.api; print('copier' in sys.modules or 'jinja2' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
