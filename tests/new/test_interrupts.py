"""kill -9 at any moment of `dataforge new` leaves the target absent or complete, never half-written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dataforge.render.place import STAGING_PREFIX, remove_stale_staging

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
