"""`new --force` and `add-quality-suite` write into an existing folder all or nothing, inside it, one at a time.

Issue 10: type clashes, links, planted journals, concurrent runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.new import generate
from dataforge.project import JOURNAL, PENDING, sha256

runner = CliRunner()
BATCH = "nightly load of Postgres tables into Snowflake"
NEW_FORCE = ["new", BATCH, "--name", "shop", "--yes", "--no-git", "--no-lock", "--force", "-o"]


@pytest.fixture(scope="module")
def pristine_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated project, copied by each test (generating takes seconds)."""
    return generate(BATCH, output=tmp_path_factory.mktemp("base"), name="shop", git=False).path


@pytest.fixture
def home(tmp_path: Path, pristine_project: Path) -> Path:
    """home/.bashrc, home/outside/keep.txt and a generated project home/work/shop."""
    (tmp_path / ".bashrc").write_text("the user's own\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "keep.txt").write_text("the user's own\n")
    shutil.copytree(pristine_project, tmp_path / "work" / "shop", symlinks=True)
    return tmp_path


def snapshot(root: Path) -> dict[str, object]:
    """Every file's bytes and every link's target under root."""
    return {
        p.relative_to(root).as_posix(): os.readlink(p) if p.is_symlink() else p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_symlink() or p.is_file()
    }


def replace_folder_by_file(project: Path, home: Path) -> None:
    shutil.rmtree(project / "tests")
    (project / "tests").write_text("a file the user made\n")


def replace_file_by_folder(project: Path, home: Path) -> None:
    (project / "Makefile").unlink()
    (project / "Makefile").mkdir()
    (project / "Makefile" / "mine.txt").write_text("the user's own\n")


def link_folder_outside(project: Path, home: Path) -> None:
    shutil.rmtree(project / "dags")  # the user keeps their DAGs elsewhere; --force restores deleted files
    (project / "dags").symlink_to(home / "outside")


def dangling_link(project: Path, home: Path) -> None:
    (project / "Makefile").unlink()
    (project / "Makefile").symlink_to(home / "outside" / "not-yet")


def dangling_link_inside(project: Path, home: Path) -> None:
    (project / "README.md").unlink()
    (project / "README.md").symlink_to("docs/README.md")


@pytest.mark.parametrize(
    ("clash", "reason"),
    [
        (replace_folder_by_file, "tests is a file where dataforge writes a folder"),
        (replace_file_by_folder, "Makefile is a folder where dataforge writes a file"),
        (link_folder_outside, "dags is a link"),
        (dangling_link, "Makefile is a link"),
        (dangling_link_inside, "README.md is a link"),
    ],
)
def test_force_refuses_a_clash_before_writing_anything(
    home: Path, clash: Callable[[Path, Path], None], reason: str
) -> None:
    project = home / "work" / "shop"
    clash(project, home)
    before = snapshot(home)
    result = runner.invoke(app, [*NEW_FORCE, str(home / "work")])
    assert result.exit_code == 5, result.output
    assert reason in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(home) == before
    assert not (project / JOURNAL).exists()
    assert not (project / PENDING).exists()


def test_force_into_a_user_folder_with_a_file_named_tests_writes_nothing(tmp_path: Path) -> None:
    """The reported case: 67 files written, a journal left, and every later --force failing."""
    target = tmp_path / "shop"
    target.mkdir()
    (target / "tests").write_text("a file the user made\n")
    result = runner.invoke(app, [*NEW_FORCE, str(tmp_path)])
    assert result.exit_code == 5, result.output
    assert sorted(p.name for p in target.iterdir()) == ["tests"]
    (target / "tests").unlink()
    again = runner.invoke(app, [*NEW_FORCE, str(tmp_path)])
    assert again.exit_code == 0, again.output


PLANTED = ["../../.bashrc", "src/../../../.bashrc", "{home}/.bashrc", "out/.bashrc"]


def plant_journal(project: Path, home: Path, rel: str) -> None:
    (project / "out").symlink_to(home)
    (project / ".bashrc").write_text("planted\n")  # `.dataforge/pending/../../.bashrc`
    (project / PENDING / "out").mkdir(parents=True)
    (project / PENDING / "out" / ".bashrc").write_text("planted\n")
    (project / JOURNAL).write_text(json.dumps({"files": ["README.md", rel.replace("{home}", str(home))]}))


@pytest.mark.parametrize("rel", PLANTED)
def test_a_planted_journal_makes_force_touch_nothing(home: Path, rel: str) -> None:
    project = home / "work" / "shop"
    plant_journal(project, home, rel)
    before = snapshot(home)
    result = runner.invoke(app, [*NEW_FORCE, str(home / "work")])
    assert result.exit_code == 6, result.output
    assert "unsafe path" in result.stderr
    assert snapshot(home) == before


@pytest.mark.parametrize("rel", PLANTED)
def test_a_planted_journal_makes_add_quality_suite_touch_nothing(home: Path, rel: str) -> None:
    project = home / "work" / "shop"
    sample = home / "partners.csv"
    sample.write_text("partner_id,name\n1,a\n2,b\n")
    plant_journal(project, home, rel)
    before = snapshot(home)
    result = runner.invoke(
        app, ["add-quality-suite", "partners", "--from-data", str(sample), "--yes", "--project", str(project)]
    )
    assert result.exit_code == 6, result.output
    assert "unsafe path" in result.stderr
    assert snapshot(home) == before


HOLD = """
import sys, time
from pathlib import Path
from dataforge.project import exclusive
with exclusive(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def hold_lock(project: Path) -> subprocess.Popen[str]:
    """Another process holding the project's writer lock, as a running dataforge command does."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(project)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    return holder


def dataforge(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dataforge", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("command", ["new", "add-quality-suite"])
def test_a_second_writer_gets_a_clear_error_and_writes_nothing(home: Path, command: str) -> None:
    project = home / "work" / "shop"
    (project / "Makefile").unlink()  # something --force would write
    sample = home / "partners.csv"
    sample.write_text("partner_id,name\n1,a\n2,b\n")
    before = snapshot(home)
    holder = hold_lock(project)
    try:
        if command == "new":
            result = dataforge(*NEW_FORCE, str(home / "work"))
        else:
            result = dataforge(
                "add-quality-suite",
                "partners",
                "--from-data",
                str(sample),
                "--yes",
                "--project",
                str(project),
            )
    finally:
        holder.kill()
        holder.communicate()
    assert result.returncode == 5, result.stderr
    assert "Another dataforge command is writing into" in result.stderr
    assert snapshot(home) == before


def test_two_concurrent_force_runs_never_mix(home: Path) -> None:
    """The reported case: one of 15 concurrent runs mixed the answers files of two runs."""
    project = home / "work" / "shop"
    runs = []
    for title in ("First title", "Second title"):
        command = [
            sys.executable,
            "-m",
            "dataforge",
            *NEW_FORCE,
            str(home / "work"),
            "--set",
            f"project_title={title}",
        ]
        runs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        time.sleep(0.05)
    errors = [run.communicate(timeout=300)[1] for run in runs]
    outcomes = list(zip([run.returncode for run in runs], errors, strict=True))
    assert {code for code, _ in outcomes} <= {0, 5}, outcomes
    assert 0 in {code for code, _ in outcomes}
    assert all("Another dataforge command" in err for code, err in outcomes if code == 5)
    title = json.loads((project / ".dataforge/answers.json").read_text())["project_title"]
    manifest = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    assert all(sha256(project / rel) == entry["sha256"] for rel, entry in manifest.items())
    assert title in (project / "README.md").read_text()
    assert not (project / JOURNAL).exists()
