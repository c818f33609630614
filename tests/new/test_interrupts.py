"""kill -9 at any moment of `dataforge new` leaves the target absent or complete, never half-written.

And what an interrupt or a failure leaves is cleaned by the next run, and reported truthfully.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.new import generate
from dataforge.errors import GenerationError, Interrupted
from dataforge.project import journal
from dataforge.render.place import STAGING_PREFIX, move_into_place, remove_stale_scratch, remove_stale_staging

REQUIREMENT = "nightly load of Postgres tables into Snowflake"


def is_complete(project: Path) -> bool:
    manifest = project / ".dataforge" / "manifest.json"
    if not manifest.is_file():
        return False
    files = json.loads(manifest.read_text())["files"]
    return all((project / rel).is_file() for rel in files)


@pytest.mark.parametrize("delay", [0.5, 1.0, 1.5, 2.0, 2.5, 3.5])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_new_leaves_target_absent_or_complete(
    tmp_path: Path, delay: float, sig: signal.Signals
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "dataforge", "new", REQUIREMENT, "--yes", "--no-git", "-o", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, sig)
    process.wait(timeout=120)
    project = tmp_path / "nightly_postgres_snowflake"
    assert not project.exists() or is_complete(project)
    if sig != signal.SIGKILL:  # handled signals also clean up the staging folder
        assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))


def test_stale_staging_of_dead_runs_is_removed(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    dead = tmp_path / f"{STAGING_PREFIX}demo-999999999-abc"
    alive = tmp_path / f"{STAGING_PREFIX}demo-{os.getpid()}-abc"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "file").write_text("x")
    assert remove_stale_staging(target) == [dead]
    assert alive.is_dir()


HOLD_SCRATCH = """
import time
from dataforge.render.place import temp_scratch
with temp_scratch("lock") as folder:
    print(folder, flush=True)
    time.sleep(60)
"""


def scratch_holder(tmp: Path) -> tuple[subprocess.Popen[str], Path]:
    """A run inside `temp_scratch` (as `uv lock` is), with the system temp folder at tmp."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    run = subprocess.Popen([sys.executable, "-c", HOLD_SCRATCH], stdout=subprocess.PIPE, text=True, env=env)
    assert run.stdout is not None
    return run, Path(run.stdout.readline().strip())


def test_scratch_of_a_killed_run_is_removed_by_the_next_run_and_only_that(tmp_path: Path) -> None:
    killed, dead = scratch_holder(tmp_path)
    alive_run, alive = scratch_holder(tmp_path)
    foreign = tmp_path / "dataforge-base-abc123"  # no marker: another program's, or an older dataforge's
    foreign.mkdir()
    try:
        killed.kill()  # SIGKILL: its `finally` never runs
        killed.communicate()
        assert dead.is_dir()
        assert remove_stale_scratch(within=tmp_path) == [dead]
        assert alive.is_dir()
        assert foreign.is_dir()
    finally:
        alive_run.kill()
        alive_run.communicate()


def failing_render(monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> None:
    def fail(*args: object, **kwargs: object) -> dict[str, str]:
        raise failure

    monkeypatch.setattr("dataforge.commands.new.render_tree", fail)


@pytest.mark.parametrize("failure", [GenerationError("validation failed"), KeyboardInterrupt()])
def test_a_failed_new_removes_the_output_folders_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    (tmp_path / "existing").mkdir()
    failing_render(monkeypatch, failure)
    with pytest.raises(type(failure)):
        generate(REQUIREMENT, output=tmp_path / "existing" / "new" / "deeper", git=False)
    assert [p.name for p in tmp_path.rglob("*")] == ["existing"]  # kept: it was there before


def test_an_interrupt_before_placing_says_nothing_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_render(monkeypatch, KeyboardInterrupt())
    result = CliRunner().invoke(
        app, ["new", REQUIREMENT, "--yes", "--no-git", "--no-lock", "-o", str(tmp_path)]
    )
    assert result.exit_code == 130
    assert "error: Interrupted; nothing was written." in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_after_placing_says_the_project_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def place_then_interrupt(staging: Path, target: Path) -> None:
        move_into_place(staging, target)
        raise KeyboardInterrupt

    monkeypatch.setattr("dataforge.commands.new.move_into_place", place_then_interrupt)
    with pytest.raises(Interrupted, match="the project is complete"):
        generate(REQUIREMENT, output=tmp_path, git=False)
    assert is_complete(tmp_path / "nightly_postgres_snowflake")


@pytest.mark.parametrize("committed", [False, True])
def test_an_interrupted_force_run_is_settled_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, committed: bool
) -> None:
    project = generate(REQUIREMENT, output=tmp_path, git=False).path
    (project / "Makefile").unlink()
    real_replace = os.replace
    seen = {"commit": False, "interrupted": False}

    def interrupted_replace(src: str | Path, dst: str | Path) -> None:
        if not seen["interrupted"]:  # one Ctrl-C: the settling afterwards runs undisturbed
            if Path(dst) == project / journal.JOURNAL and not committed:
                seen["interrupted"] = True
                raise KeyboardInterrupt  # just before the commit point
            if seen["commit"]:
                seen["interrupted"] = True
                raise KeyboardInterrupt  # at the first move after it
            seen["commit"] = Path(dst) == project / journal.JOURNAL
        real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", interrupted_replace)
    expected = "the change was completed" if committed else "nothing in .* was changed"
    with pytest.raises(Interrupted, match=expected):
        generate(REQUIREMENT, output=tmp_path, git=False, force=True)
    assert (project / "Makefile").is_file() == committed
    assert not (project / journal.JOURNAL).exists()
    assert not (project / journal.PENDING).exists()
