"""`new` works from an installed wheel in a clean virtual environment, not only from a checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def test_new_from_an_installed_wheel(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv, "uv is a development dependency; install with pip install -e '.[dev]'"
    source = tmp_path / "source"
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", ".ci-venv", "node_modules", "dist")
    )
    run(uv, "build", "--wheel", "--out-dir", tmp_path / "dist", source)
    wheel = next((tmp_path / "dist").glob("dataforge-*.whl"))
    venv = tmp_path / "venv"
    run(uv, "venv", "--python", sys.executable, venv)
    run(uv, "pip", "install", "--python", venv / "bin" / "python", wheel)
    shutil.rmtree(source)  # the installed package must not need the checkout
    work = tmp_path / "work"
    work.mkdir()
    run(
        venv / "bin" / "dataforge",
        "new",
        "nightly load of Postgres tables into Snowflake",
        "--yes",
        "--no-git",
        cwd=work,
    )
    project = work / "nightly_postgres_snowflake"
    manifest = json.loads((project / ".dataforge" / "manifest.json").read_text())
    assert "dags/nightly_postgres_snowflake_pipeline.py" in manifest["files"]
    assert (project / "dbt" / "dbt_project.yml").is_file()
    answers = sorted((project / ".dataforge" / "answers").glob("*.yml"))
    assert any(a.name == "stages-base.yml" for a in answers), answers
    for path in answers:
        text = path.read_text()
        assert str(venv) not in text, path.name
        assert str(tmp_path) not in text, path.name
        assert "_src_path: dataforge:" in text, path.name
