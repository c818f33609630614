"""`new` pins the dependencies in uv.lock before the project is placed, and never fails because it cannot.

A fake `uv` on PATH records how it was called and writes a lock, so these tests need no network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.new import generate
from dataforge.project import sha256
from dataforge.render import lock as lock_module
from dataforge.render.lock import lock_dependencies, machine_paths

BATCH = "nightly load of Postgres tables into Snowflake"
NAME = "nightly_postgres_snowflake"

# Modes: ok (write a lock that keeps the seed's pins), fail (no index), hang (and a child holding the
# pipes), nolock (exit 0, write nothing), abs (a lock naming a machine path).
FAKE_UV = """#!{python}
import json, os, subprocess, sys, time
from pathlib import Path

log, mode, target = os.environ["FAKE_UV_LOG"], os.environ["FAKE_UV_MODE"], os.environ.get("FAKE_UV_TARGET", "")
with open(log, "a") as handle:
    handle.write(json.dumps({{
        "args": sys.argv[1:], "cwd": os.getcwd(), "pyproject": Path("pyproject.toml").read_text(),
        "seed": Path("uv.lock").read_text() if Path("uv.lock").exists() else None,
        "target_existed": bool(target) and Path(target).exists(),
    }}) + "\\n")
if mode == "fail":
    print("Using CPython 3.11", file=sys.stderr)
    print("error: Failed to fetch: `https://pypi.org/simple/dbt-core/`", file=sys.stderr)
    sys.exit(2)
if mode == "hang":
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # inherits stdout and stderr
    time.sleep(60)
if mode == "nolock":
    sys.exit(0)
pins = [line for line in (Path("uv.lock").read_text().splitlines() if Path("uv.lock").exists() else [])
        if line.startswith("# pin")]
body = 'source = {{ registry = "/home/someone/wheels" }}' if mode == "abs" else 'source = {{ editable = "." }}'
Path("uv.lock").write_text("\\n".join(["version = 1", *pins, "[[package]]", 'name = "demo"', body]) + "\\n")
"""


class FakeUv:
    """A fake `uv` first on PATH; `calls` are what it recorded."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.log = folder / "uv-calls.jsonl"
        uv = self.bin / "uv"
        uv.write_text(FAKE_UV.format(python=sys.executable))
        uv.chmod(0o755)
        self.path = os.environ["PATH"]
        monkeypatch.setenv("PATH", f"{self.bin}{os.pathsep}{self.path}")  # found before any real uv
        monkeypatch.setenv("FAKE_UV_LOG", str(self.log))
        self.mode("ok")

    def mode(self, mode: str, target: Path | None = None) -> None:
        self.monkeypatch.setenv("FAKE_UV_MODE", mode)
        self.monkeypatch.setenv("FAKE_UV_TARGET", str(target or ""))

    def remove(self) -> None:
        """No uv anywhere on PATH (the folders holding a real one are dropped; git stays reachable)."""
        kept = [d for d in self.path.split(os.pathsep) if d and not (Path(d) / "uv").exists()]
        self.monkeypatch.setenv("PATH", os.pathsep.join(kept))
        assert shutil.which("uv") is None

    @property
    def calls(self) -> list[dict[str, object]]:
        if not self.log.is_file():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def fake_uv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeUv:
    return FakeUv(tmp_path, monkeypatch)


def manifest(project: Path) -> dict[str, dict[str, str]]:
    files: dict[str, dict[str, str]] = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    return files


def is_complete(project: Path) -> bool:
    return all((project / rel).is_file() for rel in manifest(project))


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout


# Through the library API -------------------------------------------------------------------------------


def test_the_lock_is_made_before_placing_and_is_part_of_the_first_commit(
    tmp_path: Path, fake_uv: FakeUv
) -> None:
    out = tmp_path / "out"
    fake_uv.mode("ok", target=out / NAME)
    result = generate(BATCH, output=out, lock=True)
    project = result.path
    [call] = fake_uv.calls
    assert call["args"] == ["lock", "--quiet"]
    assert call["target_existed"] is False  # locked in staging, before the project was moved into place
    assert call["pyproject"] == (project / "pyproject.toml").read_text()
    # uv runs on a private copy, never where an enclosing uv workspace could adopt the project.
    assert not Path(str(call["cwd"])).is_relative_to(out)
    assert (project / "uv.lock").read_text().startswith("version = 1\n")
    assert "uv.lock" in git(project, "show", "--name-only", "--format=", "HEAD").split()
    assert git(project, "status", "--porcelain") == ""
    assert "uv.lock" in result.files
    assert result.warnings == []


def test_the_lock_is_recorded_as_derived_and_kept_out_of_the_pristine_render(
    tmp_path: Path, fake_uv: FakeUv
) -> None:
    project = generate(BATCH, output=tmp_path / "out", git=False, lock=True).path
    entry = manifest(project)["uv.lock"]
    assert entry == {"part": "dataforge", "sha256": sha256(project / "uv.lock"), "derived": "uv lock"}
    from dataforge.project import read_pristine

    pristine = read_pristine(project)
    assert "uv.lock" not in pristine
    assert "pyproject.toml" in pristine


def test_without_lock_uv_is_not_run(tmp_path: Path, fake_uv: FakeUv) -> None:
    project = generate(BATCH, output=tmp_path / "out", git=False).path
    assert fake_uv.calls == []
    assert not (project / "uv.lock").exists()
    assert "uv.lock" not in manifest(project)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("fail", "`uv lock` failed (error: Failed to fetch"),
        ("nolock", "`uv lock` wrote no uv.lock"),
        ("abs", "uv.lock names a path on this machine"),
        ("missing", "uv is not on PATH"),
    ],
)
def test_a_lock_that_cannot_be_made_leaves_a_complete_unlocked_project_and_a_warning(
    tmp_path: Path, fake_uv: FakeUv, mode: str, reason: str
) -> None:
    if mode == "missing":
        fake_uv.remove()
    else:
        fake_uv.mode(mode)
    result = generate(BATCH, output=tmp_path / "out", lock=True)
    project = result.path
    assert not (project / "uv.lock").exists()
    assert "uv.lock" not in manifest(project)
    assert is_complete(project)
    assert git(project, "status", "--porcelain") == ""  # committed all the same
    [warning] = result.warnings
    assert reason in warning
    assert "`make lock`" in warning
    assert "\n" not in warning


def test_force_relocks_from_the_projects_own_lock_and_keeps_its_pins(tmp_path: Path, fake_uv: FakeUv) -> None:
    out = tmp_path / "out"
    project = generate(BATCH, output=out, git=False, lock=True).path
    lock = project / "uv.lock"
    lock.write_text("# pin dbt-core==1.10.3 (the user upgraded on purpose)\n" + lock.read_text())
    generate(BATCH, output=out, git=False, lock=True, force=True)
    assert "# pin dbt-core==1.10.3" in str(fake_uv.calls[-1]["seed"])  # uv started from the project's lock
    assert lock.read_text().startswith("version = 1\n# pin dbt-core==1.10.3")
    assert manifest(project)["uv.lock"]["sha256"] == sha256(lock)


# The uv call itself ------------------------------------------------------------------------------------


def staged(tmp_path: Path) -> Path:
    folder = tmp_path / "staging"
    folder.mkdir()
    (folder / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0.1.0"\n')
    return folder


def test_a_hanging_uv_is_stopped_at_the_timeout_children_included(
    tmp_path: Path, fake_uv: FakeUv, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_uv.mode("hang")
    monkeypatch.setattr(lock_module, "LOCK_TIMEOUT_SECONDS", 1.0)
    started = time.monotonic()
    warning = lock_dependencies(staged(tmp_path))
    assert time.monotonic() - started < 10  # the child holding uv's pipes does not keep us waiting
    assert warning is not None
    assert "did not finish within 1 s" in warning
    assert not (tmp_path / "staging" / "uv.lock").exists()


@pytest.mark.parametrize(
    ("line", "machine"),
    [
        ('source = { registry = "https://pypi.org/simple" }', False),
        ('source = { editable = "." }', False),
        ('{ name = "dbt-core", specifier = ">=1.10,<1.12" },', False),
        ('source = { directory = "/home/me/lib" }', True),
        ('source = { registry = "file:///srv/wheels" }', True),
        ("source = { path = 'C:\\\\wheels\\\\x.whl' }", True),
        ('source = { path = "~/wheels/x.whl" }', True),
    ],
)
def test_machine_paths_in_a_lock_are_found(line: str, machine: bool) -> None:
    assert bool(machine_paths(f"version = 1\n{line}\n")) is machine


# Through the command line ------------------------------------------------------------------------------

runner = CliRunner()


def test_the_cli_locks_by_default_and_not_with_no_lock(
    tmp_path: Path, fake_uv: FakeUv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATAFORGE_LOCK", raising=False)
    locked = runner.invoke(app, ["new", BATCH, "--yes", "--no-git", "-o", str(tmp_path / "a")])
    assert locked.exit_code == 0, locked.output
    assert (tmp_path / "a" / NAME / "uv.lock").is_file()
    unlocked = runner.invoke(app, ["new", BATCH, "--yes", "--no-git", "--no-lock", "-o", str(tmp_path / "b")])
    assert unlocked.exit_code == 0, unlocked.output
    assert not (tmp_path / "b" / NAME / "uv.lock").exists()
    monkeypatch.setenv("DATAFORGE_LOCK", "0")  # for offline machines and test suites
    by_env = runner.invoke(app, ["new", BATCH, "--yes", "--no-git", "-o", str(tmp_path / "c")])
    assert by_env.exit_code == 0, by_env.output
    assert not (tmp_path / "c" / NAME / "uv.lock").exists()
    assert len(fake_uv.calls) == 1


def test_the_cli_reports_a_failed_lock_as_a_note_not_an_error(tmp_path: Path, fake_uv: FakeUv) -> None:
    fake_uv.mode("fail")
    result = runner.invoke(app, ["new", BATCH, "--yes", "--no-git", "--lock", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "note: `uv lock` failed" in result.output
    assert "make lock" in result.output
    assert (tmp_path / NAME / "Makefile").is_file()
