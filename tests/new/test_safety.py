"""dataforge never harms the user's files and never trusts its input (issue 5's guarantees for `new`)."""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.new import generate
from dataforge.errors import TargetError

runner = CliRunner()
BATCH = "nightly load of Postgres tables into Snowflake"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_disk_full_or_read_only_during_render_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real_move = shutil.move
    calls = {"n": 0}

    def failing_move(src: str, dst: str) -> object:
        calls["n"] += 1
        if calls["n"] == 20:  # part-way through writing the tree
            raise OSError(code, "simulated")
        return real_move(src, dst)

    monkeypatch.setattr("dataforge.render.tree.shutil.move", failing_move)
    with pytest.raises(TargetError, match="Cannot write the project"):
        generate(BATCH, output=tmp_path, git=False)
    assert list(tmp_path.iterdir()) == []


def test_failing_final_rename_is_a_target_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, target: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "rename", refuse)
    with pytest.raises(TargetError, match="Read-only file system"):
        generate(BATCH, output=tmp_path, git=False)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_parent_is_refused_before_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dataforge.render.place.os.access", lambda *_: False)
    with pytest.raises(TargetError, match="not writable"):
        generate(BATCH, output=tmp_path, git=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "payload", ["{{ 7*7 }}", "[[ 7*7 ]]", "[% if true %]x[% endif %]", "{% raw %}", "'; rm -rf ~"]
)
def test_set_values_are_written_literally(tmp_path: Path, payload: str) -> None:
    project = generate(BATCH, output=tmp_path, git=False, overrides={"project_title": payload}).path
    assert json.loads((project / ".dataforge/answers.json").read_text())["project_title"] == payload
    readme = (project / "README.md").read_text()
    assert payload in readme
    assert "49" not in readme.replace(payload, "")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["new", "", "-o", "{out}"], 3, "empty"),
        (["new", "make me a sandwich", "-o", "{out}"], 4, "No data technology"),
        (["new", BATCH, "--name", "../escape", "-o", "{out}"], 2, "not a safe identifier"),
        (["new", BATCH, "--name", "{{ cycler }}", "-o", "{out}"], 2, "not a safe identifier"),
        (["new", BATCH, "--name", "import", "-o", "{out}"], 2, "shadow"),
        (["new", BATCH, "--set", "noequals", "-o", "{out}"], 2, "KEY=VALUE"),
        (["new", BATCH, "--set", "cloud=mars", "-o", "{out}"], 2, "cloud"),
        (["new", BATCH, "--answers-file", "{out}/missing.yml", "-o", "{out}"], 2, "Cannot read"),
        (
            ["new", "Kafka to BigQuery streaming", "--pattern", "lakehouse", "-o", "{out}"],
            2,
            "cannot generate lakehouse",
        ),
        (["new", BATCH, "--pattern", "kappa", "--cloud", "aws", "-o", "{out}"], 2, "is not one"),
        (["new", BATCH, "--pattern", "mesh", "-o", "{out}"], 2, "--pattern"),
    ],
)
def test_new_bad_input_is_one_line_with_hint_and_nothing_written(
    tmp_path: Path, args: list[str], code: int, fragment: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, [a.replace("{out}", str(out)) for a in args])
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert lines[1].startswith("hint: ")
    assert list(out.iterdir()) == []


def test_existing_target_through_the_cli_exits_5(tmp_path: Path) -> None:
    (tmp_path / "nightly_postgres_snowflake").mkdir()
    (tmp_path / "nightly_postgres_snowflake" / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["new", BATCH, "--yes", "-o", str(tmp_path)])
    assert result.exit_code == 5
    assert "not empty" in result.stderr
    assert (tmp_path / "nightly_postgres_snowflake" / "keep.txt").read_text() == "mine"
