"""Multi-file writes into an existing project are all or nothing, even when killed part-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dataforge.commands.new import generate
from dataforge.project import journal, read_pristine, sha256

OLD = {"a.txt": b"old a", "dir/b.txt": b"old b", "c.txt": b"old c"}
NEW = {"a.txt": b"new a", "dir/b.txt": b"new b", "c.txt": b"new c", "dir/d.txt": b"new d"}


def write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def state(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in NEW if (root / rel).exists()}


class Killed(BaseException):
    """Stands in for the process dying: nothing after it runs."""


@pytest.mark.parametrize("replaces_before_kill", range(1 + len(NEW)))  # the commit, then each file
def test_interrupted_unit_is_rolled_back_or_forward_never_mixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replaces_before_kill: int
) -> None:
    write(tmp_path, OLD)
    real_replace = os.replace
    done = {"n": 0}

    def dying_replace(src: str | Path, dst: str | Path) -> None:
        if done["n"] == replaces_before_kill:
            raise Killed
        done["n"] += 1
        real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", dying_replace)
    with pytest.raises(Killed):
        journal.replace_files(tmp_path, NEW)
    monkeypatch.setattr(journal.os, "replace", real_replace)
    journal.recover(tmp_path)
    # The first replace is the journal's own commit point; after it the unit must complete.
    assert state(tmp_path) == (OLD if replaces_before_kill == 0 else NEW)
    assert not (tmp_path / journal.JOURNAL).exists()
    assert not (tmp_path / journal.PENDING).exists()


def test_uninterrupted_unit_leaves_no_journal(tmp_path: Path) -> None:
    write(tmp_path, OLD)
    journal.replace_files(tmp_path, NEW)
    assert state(tmp_path) == NEW
    assert journal.recover(tmp_path) is None


def manifest_matches_disk(project: Path) -> bool:
    """Every recorded file is on disk as recorded, and the pristine render holds exactly those bytes."""
    files = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    pristine = read_pristine(project)
    on_disk = all(
        (project / rel).is_file() and sha256(project / rel) == e["sha256"] for rel, e in files.items()
    )
    generated = {rel for rel, e in files.items() if e["part"] != "dataforge"}
    return (
        on_disk
        and set(pristine) == generated
        and all((project / rel).read_bytes() == data for rel, data in pristine.items())
    )


@pytest.mark.parametrize("delay", [0.8, 1.2, 1.6, 2.0, 2.6])
def test_kill_9_during_add_quality_suite_leaves_a_consistent_project(tmp_path: Path, delay: float) -> None:
    project = generate("nightly load of Postgres tables into Snowflake", output=tmp_path, git=False).path
    sample = project / "samples" / "partners.csv"
    sample.parent.mkdir()
    sample.write_text("partner_id,name\n" + "".join(f"{i},partner {i}\n" for i in range(1, 400)))
    process = subprocess.Popen(
        [sys.executable, "-m", "dataforge", "add-quality-suite", "partners", "--from-data", str(sample), "--yes",
         "--project", str(project)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert not [p for p in project.parent.iterdir() if p.name != project.name]  # nothing beside the project
    journal.recover(project)  # what the next dataforge command does first
    assert manifest_matches_disk(project)
    suite = project / "quality/expectations/partners.json"
    recorded = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    assert suite.exists() == ("quality/expectations/partners.json" in recorded)


def test_force_regeneration_keeps_what_add_quality_suite_added(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dataforge.cli import app

    requirement = "nightly load of Postgres tables into Snowflake"
    project = generate(requirement, output=tmp_path, git=False).path
    sample = project / "samples" / "partners.csv"
    sample.parent.mkdir()
    sample.write_text("partner_id,name\n" + "".join(f"{i},partner {i}\n" for i in range(1, 50)))
    added = CliRunner().invoke(
        app, ["add-quality-suite", "partners", "--from-data", str(sample), "--yes", "--project", str(project)]
    )
    assert added.exit_code == 0, added.output
    (project / "Makefile").unlink()
    generate(requirement, output=tmp_path, git=False, force=True)
    assert (project / "Makefile").is_file()
    recorded = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    assert recorded["quality/expectations/partners.json"]["part"] == "addons/quality_suite"
    assert manifest_matches_disk(project)
